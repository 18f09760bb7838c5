import { parseTree } from './parser.js';

const NOT_NULL_COLUMNS = new Map<string, ReadonlySet<string> | null>();

/**
 * The columns a partial index's predicate requires to be NOT NULL, when that is all it requires:
 * `(user_id IS NOT NULL)` or `((a IS NOT NULL) AND (b IS NOT NULL))` → {user_id} / {a, b}; any other predicate →
 * null. An equality lookup on those columns (`user_id = $1`) only ever matches such rows, so the index serves it.
 * Parsed with libpg-query (names may be quoted), once per distinct predicate.
 */
export function notNullColumns(predicate: string): ReadonlySet<string> | null {
  if (!NOT_NULL_COLUMNS.has(predicate)) NOT_NULL_COLUMNS.set(predicate, parseNotNull(predicate));
  return NOT_NULL_COLUMNS.get(predicate)!;
}

type Node = Record<string, unknown>;

function parseNotNull(predicate: string): ReadonlySet<string> | null {
  let where: Node | undefined;
  try {
    const stmt = parseTree(`SELECT 1 WHERE ${predicate}`).stmts?.[0]?.stmt as { SelectStmt?: { whereClause?: Node } } | undefined;
    where = stmt?.SelectStmt?.whereClause;
  } catch {
    return null;
  }
  if (!where) return null;
  const columns = new Set<string>();
  const visit = (node: Node): boolean => {
    const bool = node.BoolExpr as { boolop?: string; args?: Node[] } | undefined;
    if (bool) return bool.boolop === 'AND_EXPR' && (bool.args ?? []).every(visit);
    const test = node.NullTest as { nulltesttype?: string; arg?: Node } | undefined;
    const fields = (test?.arg?.ColumnRef as { fields?: { String?: { sval?: string } }[] } | undefined)?.fields;
    const name = fields?.length === 1 ? fields[0]?.String?.sval : undefined;
    if (test?.nulltesttype !== 'IS_NOT_NULL' || name === undefined) return false;
    columns.add(name);
    return true;
  };
  return visit(where) ? columns : null;
}
