import { quoteIdent, qualified } from '../sql/quote.js';
import type { CollectContext } from './context.js';
import type { Warning } from '../model/snapshot.js';

/** Above this many rows a check reads a TABLESAMPLE of about this many rows and says it is an estimate. */
export const EXACT_ROW_LIMIT = 100_000;
/** Each data check gets this long by default; a timeout lowers confidence, never fails the scan. */
export const CHECK_TIMEOUT_MS = 5_000;

/** Why a bounded read did not give an answer; each cause has its own fix. */
export type FailureCause = 'timeout' | 'privilege' | 'lock' | 'error';

export interface BoundedFailure {
  readonly cause: FailureCause;
  readonly message: string;
}

/**
 * The FROM clause of a bounded read: the whole table up to EXACT_ROW_LIMIT rows, else a block sample of about
 * that many rows. The alias comes before TABLESAMPLE (`tbl AS t TABLESAMPLE …`), as the grammar wants.
 */
export function sampledFrom(schema: string, table: string, rows: number, alias: string): { sql: string; estimated: boolean } {
  const base = `${qualified(schema, table)} AS ${quoteIdent(alias)}`;
  if (rows <= EXACT_ROW_LIMIT) return { sql: base, estimated: false };
  const pct = Math.max(0.01, Math.min(100, (100 * EXACT_ROW_LIMIT) / rows));
  return { sql: `${base} TABLESAMPLE SYSTEM (${pct.toFixed(4)}) REPEATABLE (42)`, estimated: true };
}

/** Classify a server error by its SQLSTATE, so a warning names the real cause. */
export function failureOf(error: unknown): BoundedFailure {
  const code = (error as { code?: string } | null)?.code ?? '';
  const message = (error as Error | null)?.message ?? String(error);
  if (code === '57014') return { cause: 'timeout', message };
  if (code === '42501') return { cause: 'privilege', message };
  if (code === '55P03') return { cause: 'lock', message };
  return { cause: 'error', message };
}

/** One warning per cause, each with its exact fix; codes are `<code>-no-privilege`, `<code>-timed-out`… */
export function failureWarning(ctx: CollectContext, failures: readonly BoundedFailure[], what: string, code: 'data-checks' | 'secret-samples'): Warning[] {
  const byCause = new Map<FailureCause, BoundedFailure[]>();
  for (const f of failures) byCause.set(f.cause, [...(byCause.get(f.cause) ?? []), f]);
  const warnings: Warning[] = [];
  const role = quoteIdent(ctx.role);
  for (const [cause, list] of byCause) {
    const n = `${list.length} ${what}`;
    const first = list[0]!.message;
    if (cause === 'privilege') {
      warnings.push({ code: `${code}-no-privilege`, message: `${n} could not read the tables (${first}): those findings are unconfirmed. Grant read access: GRANT pg_read_all_data TO ${role}; (PostgreSQL 14+) or GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO ${role};` });
    } else if (cause === 'timeout') {
      warnings.push({ code: `${code}-timed-out`, message: `${n} hit their ${ctx.dataCheckTimeoutMs} ms limit (--data-check-timeout): those findings are unconfirmed (lower severity).` });
    } else if (cause === 'lock') {
      warnings.push({ code: `${code}-locked`, message: `${n} waited on a lock held by another session (${first}): those findings are unconfirmed. Run the scan again when the lock is gone.` });
    } else {
      warnings.push({ code: `${code}-failed`, message: `${n} failed (${first}): those findings are unconfirmed. This is a pgrescue bug if the message is a syntax error: please report it.` });
    }
  }
  return warnings;
}
