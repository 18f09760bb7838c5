import type { Catalog } from '../derive/catalog.js';
import type { WorkloadStatement } from '../derive/workload.js';

/** What a parameter of a normalized statement stands for: the column it is compared with, when there is one. */
export interface ParamUse {
  readonly type: string | null;
  readonly schema: string | null;
  readonly table: string | null;
  readonly column: string | null;
  /** The comparison: "=", "<", "ANY", …; "limit" / "offset" for a row count. */
  readonly op: string | null;
}

const SCALAR_OPS = new Set(['=', '<', '>', '<=', '>=', '<>', 'IN', 'LIKE', 'ILIKE', 'IS NOT DISTINCT FROM']);

/**
 * A type name from the catalog, as PREPARE may take it. The text comes from the database, so it is accepted only
 * when it is plainly a type name (words, quoted identifiers, a schema, []): anything else is left for the server to
 * infer. Type modifiers are dropped: a parameter's type never needs them.
 */
export function safeTypeName(type: string): string | null {
  const bare = type.replace(/\(\d+(?:,\s*\d+)?\)/g, '').replace(/\s+/g, ' ').trim();
  const word = '(?:[a-z_][a-z0-9_]*|"(?:[^"\\u0000-\\u001f]|"")+")';
  return new RegExp(`^${word}(?:\\.${word})?(?: [a-z]+)*(?:\\[\\])?$`).test(bare) ? bare : null;
}

/** Each parameter's use, from the statement's predicates and the catalog (column types for $n compared with a column). */
export function paramUses(statement: WorkloadStatement, catalog: Catalog): Map<number, ParamUse> {
  const uses = new Map<number, ParamUse>();
  if (!statement.parsed.ok) return uses;
  for (const p of statement.parsed.shape.predicates) {
    if (p.param === undefined || p.tableId === null || uses.has(p.param)) continue;
    const table = statement.tables[p.tableId];
    const column = table ? catalog.column(table, p.column) : undefined;
    if (!table || !column) continue;
    const scalar = SCALAR_OPS.has(p.op) || p.op === 'BETWEEN';
    const base = p.expression === null ? safeTypeName(column.type) : null;
    const type = base === null ? null : p.op === 'ANY' ? (base.endsWith('[]') ? null : `${base}[]`) : scalar ? base : null;
    uses.set(p.param, { type, schema: table.schema, table: table.name, column: p.column, op: p.expression === null ? p.op : null });
  }
  return uses;
}
