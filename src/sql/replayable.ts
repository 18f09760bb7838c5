import { parseTree } from './parser.js';

/** Whether a parse tree holds a row lock (FOR UPDATE/SHARE) or a data-modifying statement anywhere in it. */
function writesOrLocks(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  if (Array.isArray(node)) return node.some(writesOrLocks);
  for (const [key, value] of Object.entries(node)) {
    if (key === 'lockingClause' && Array.isArray(value) && value.length > 0) return true;
    if (key === 'InsertStmt' || key === 'UpdateStmt' || key === 'DeleteStmt' || key === 'MergeStmt') return true;
    if (writesOrLocks(value)) return true;
  }
  return false;
}

/**
 * A text `verify` may execute to count its rows: exactly one SELECT, by PostgreSQL's own parser, that takes no row
 * lock and modifies nothing (no data-modifying CTE). It then runs wrapped as `SELECT count(*) FROM (…)`, as one
 * statement over the extended protocol, in a READ ONLY transaction that is rolled back.
 */
export function replayableSelect(sql: string): boolean {
  try {
    const stmts = parseTree(sql).stmts ?? [];
    return stmts.length === 1 && 'SelectStmt' in (stmts[0]!.stmt ?? {}) && !writesOrLocks(stmts[0]!.stmt);
  } catch {
    return false;
  }
}
