import { checkCandidates, foreignKeyCandidates, notNullCandidates, uniqueCandidates } from '../integrity/candidates.js';
import { qualified, quoteIdent } from '../migrate/quote.js';
import { marked } from '../db/marker.js';
import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { DataCheck, DataChecks, Snapshot } from './snapshot-types.js';

/** Above this many rows a check reads a TABLESAMPLE of about this many rows and says it is an estimate. */
export const EXACT_ROW_LIMIT = 100_000;
/** Each data check gets this long by default; a timeout lowers confidence, never fails the scan. */
export const CHECK_TIMEOUT_MS = 5_000;

function from(schema: string, table: string, rows: number): { sql: string; estimated: boolean } {
  if (rows <= EXACT_ROW_LIMIT) return { sql: qualified(schema, table), estimated: false };
  const pct = Math.max(0.01, Math.min(100, (100 * EXACT_ROW_LIMIT) / rows));
  return { sql: `${qualified(schema, table)} TABLESAMPLE SYSTEM (${pct.toFixed(4)}) REPEATABLE (42)`, estimated: true };
}

interface Tally {
  failed: number;
  timedOut: number;
  firstError: string | null;
}

async function bounded(ctx: CollectContext, sql: string, tally?: Tally): Promise<Record<string, unknown> | 'timeout' | 'error'> {
  try {
    return await ctx.session.withClient(async (client) => {
      await client.query(marked('BEGIN READ ONLY'));
      try {
        await client.query(marked(`SET LOCAL statement_timeout = ${Math.max(1, Math.trunc(ctx.dataCheckTimeoutMs))}`));
        const r = await client.query(marked(sql));
        return (r.rows[0] ?? {}) as Record<string, unknown>;
      } finally {
        await client.query(marked('ROLLBACK')).catch(() => undefined);
      }
    });
  } catch (error) {
    const timedOut = (error as { code?: string }).code === '57014';
    if (tally) {
      if (timedOut) tally.timedOut++;
      else {
        tally.failed++;
        tally.firstError ??= (error as Error).message;
      }
    }
    return timedOut ? 'timeout' : 'error';
  }
}

/**
 * Measure the damage the missing constraints let in — orphans, duplicate groups, NULL counts, the values of
 * enum-like columns — each bounded: exact below EXACT_ROW_LIMIT rows, sampled above (and labelled), each under
 * its own statement_timeout. Only counts leave the server, except the few distinct values of enum-like columns.
 */
export async function collectDataChecks(ctx: CollectContext, snapshot: Snapshot): Promise<DataChecks> {
  const rowsOf = (schema: string, table: string): number => snapshot.tables.find((t) => t.schema === schema && t.name === table)?.rowEstimate ?? 0;
  const result = (base: Omit<DataCheck, 'confidence' | 'counts'>, r: Record<string, unknown> | 'timeout' | 'error'): DataCheck =>
    r === 'timeout' || r === 'error'
      ? { ...base, confidence: r === 'timeout' ? 'timed-out' : 'failed', counts: {} }
      : { ...base, confidence: base.estimated ? 'sampled' : 'exact', counts: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, num(v)])) };

  const tally: Tally = { failed: 0, timedOut: 0, firstError: null };
  const foreignKeys: DataCheck[] = [];
  for (const c of foreignKeyCandidates(snapshot)) {
    const f = from(c.schema, c.table, rowsOf(c.schema, c.table));
    const col = `t.${quoteIdent(c.column)}`;
    const r = await bounded(
      ctx,
      `SELECT count(*) AS rows, count(${col}) AS non_null,
              count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${qualified(c.target.schema, c.target.table)} p WHERE p.${quoteIdent(c.target.column)} = ${col})) AS orphans
       FROM ${f.sql} t`,
      tally,
    );
    foreignKeys.push(result({ schema: c.schema, table: c.table, columns: [c.column], estimated: f.estimated }, r));
  }
  const uniques: DataCheck[] = [];
  for (const c of uniqueCandidates(snapshot)) {
    const f = from(c.schema, c.table, rowsOf(c.schema, c.table));
    const keys = c.keys.map((k) => (k.includes('(') ? k.replace(/\((\w+)\)/, (_m, col: string) => `(${quoteIdent(col)})`) : quoteIdent(k)));
    const r = await bounded(
      ctx,
      `SELECT count(*) AS groups, coalesce(sum(n), 0) AS rows, coalesce(sum(n - 1), 0) AS extra
       FROM (SELECT count(*) AS n FROM ${f.sql} WHERE ${c.columns.map((x) => `${quoteIdent(x)} IS NOT NULL`).join(' AND ')} GROUP BY ${keys.join(', ')} HAVING count(*) > 1) d`,
      tally,
    );
    uniques.push(result({ schema: c.schema, table: c.table, columns: [...c.keys], estimated: f.estimated }, r));
  }
  const nulls: DataCheck[] = [];
  for (const c of notNullCandidates(snapshot)) {
    const f = from(c.schema, c.table, rowsOf(c.schema, c.table));
    const r = await bounded(ctx, `SELECT count(*) AS rows, count(*) FILTER (WHERE ${quoteIdent(c.column)} IS NULL) AS nulls FROM ${f.sql}`, tally);
    nulls.push(result({ schema: c.schema, table: c.table, columns: [c.column], estimated: f.estimated }, r));
  }
  const values: { schema: string; table: string; column: string; values: string[]; complete: boolean }[] = [];
  for (const c of checkCandidates(snapshot)) {
    try {
      const rows = await ctx.session.query<{ v: string }>(`SELECT DISTINCT ${quoteIdent(c.column)}::text AS v FROM ${qualified(c.schema, c.table)} WHERE ${quoteIdent(c.column)} IS NOT NULL LIMIT 21`);
      values.push({ schema: c.schema, table: c.table, column: c.column, values: rows.map((r) => r.v).sort(), complete: rows.length <= 20 });
    } catch {
      // a timeout leaves this column without its values: the rule then reports nothing for it
    }
  }
  if (tally.failed > 0) {
    ctx.warn({
      code: 'data-checks-failed',
      message: `${tally.failed} data check(s) (orphans, duplicates, NULLs) could not run (${tally.firstError}): those integrity findings are unconfirmed. Grant read access to the tables, e.g. GRANT pg_read_all_data TO <pgrescue role>; (PostgreSQL 14+).`,
    });
  }
  if (tally.timedOut > 0) {
    ctx.warn({ code: 'data-checks-timed-out', message: `${tally.timedOut} data check(s) hit their ${ctx.dataCheckTimeoutMs} ms limit: those integrity findings are unconfirmed (lower severity).` });
  }
  return { foreignKeys, uniques, nulls, values };
}
