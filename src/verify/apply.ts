import type { ScratchConnection } from '../db/scratch.js';
import { splitStatements } from '../sql/split.js';
import { DECISION_GUARD } from '../migrate/decision.js';

export interface Applied {
  readonly ms: number;
  /** The server's message when a statement failed (the file's transaction is rolled back). */
  readonly error: string | null;
  /** The failing statement's position (1-based) in the file. */
  readonly failedAt: number | null;
  /** It stopped at a decision template's guard: nothing after it ran. */
  readonly guard: boolean;
}

/**
 * Run a migration file the way psql -f does: statement by statement (a CONCURRENTLY build cannot share a query
 * string with others), its own BEGIN … COMMIT holding its transaction. On an error the open transaction is rolled
 * back and the rest of the file is not run.
 */
export async function applyFile(client: ScratchConnection, sql: string): Promise<Applied> {
  const started = performance.now();
  const { statements } = splitStatements(sql);
  let open = false;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i]!;
    try {
      await client.query(s.text);
      if (s.kind === 'begin') open = true;
      if (s.kind === 'commit') open = false;
    } catch (error) {
      if (open) await client.query('ROLLBACK').catch(() => undefined);
      const message = (error as Error).message;
      return { ms: performance.now() - started, error: message, failedAt: i + 1, guard: message.includes(DECISION_GUARD) };
    }
  }
  if (open) await client.query('ROLLBACK').catch(() => undefined);
  return { ms: performance.now() - started, error: open ? 'the file opens a transaction it never commits (rolled back)' : null, failedAt: null, guard: false };
}
