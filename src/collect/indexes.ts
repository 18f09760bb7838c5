import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { Index, Table } from '../model/snapshot.js';

interface IndexRow {
  schema: string;
  table: string;
  table_oid: number;
  name: string;
  definition: string;
  method: string;
  keys: number[];
  key_count: number;
  expressions: string | null;
  opclasses: number[];
  collations: number[];
  options: number[];
  predicate: string | null;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  bytes: string;
  scans: string | null;
  constraint: string | null;
}

/**
 * Every index on the tables in scope, with keys, expressions, predicate, validity, size and scans. One pass over
 * pg_index with no per-index subquery: key columns are named from the tables already read, opclass and collation
 * names come from one lookup each.
 */
export async function collectIndexes(ctx: CollectContext, tables: Promise<readonly Table[]> | readonly Table[]): Promise<Index[]> {
  const rows = await ctx.session.query<IndexRow>(
    `
    SELECT n.nspname AS schema, t.relname AS table, t.oid::int AS table_oid, ic.relname AS name,
           -- pg_get_indexdef locks the table: for a table another session locks, the definition is left unread ('').
           CASE WHEN i.indexrelid = ANY($2::oid[]) OR i.indrelid = ANY($2::oid[]) THEN '' ELSE pg_get_indexdef(i.indexrelid) END AS definition, am.amname AS method,
           i.indkey::int2[] AS keys, i.indnkeyatts::int AS key_count,
           pg_get_expr(i.indexprs, i.indrelid) AS expressions,
           i.indclass::oid[] AS opclasses, i.indcollation::oid[] AS collations, i.indoption::int2[] AS options,
           pg_get_expr(i.indpred, i.indrelid) AS predicate,
           i.indisunique AS unique, i.indisprimary AS primary, i.indisvalid AS valid,
           -- relpages is set by CREATE INDEX and VACUUM; an index the catalog calls empty is measured.
           CASE WHEN ic.relpages > 0 OR i.indexrelid = ANY($2::oid[]) OR i.indrelid = ANY($2::oid[]) OR ic.relkind = 'I'
                THEN ic.relpages::bigint * current_setting('block_size')::bigint
                ELSE pg_relation_size(i.indexrelid) END AS bytes,
           pg_stat_get_numscans(i.indexrelid) AS scans, con.conname AS constraint
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = ic.relam
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
    WHERE t.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
    ORDER BY n.nspname, t.relname, ic.relname`,
    [ctx.schemas, [...ctx.locked]],
  );
  const opclassNames = await namesByOid(ctx, `SELECT oid::int AS oid, opcname::text AS name FROM pg_opclass WHERE oid = ANY($1::oid[])`, rows.flatMap((r) => r.opclasses));
  const collationNames = await namesByOid(ctx, `SELECT oid::int AS oid, collname::text AS name FROM pg_collation WHERE oid = ANY($1::oid[])`, rows.flatMap((r) => r.collations));
  const columnNames = new Map((await tables).map((t) => [t.oid, new Map(t.columns.map((c) => [c.attnum, c.name]))]));
  return rows.map((r) => {
    const columns = columnNames.get(r.table_oid);
    const named = (attnum: number): string | null => (attnum === 0 ? null : columns?.get(attnum) ?? null);
    return {
      schema: r.schema,
      table: r.table,
      name: r.name,
      definition: r.definition,
      method: r.method,
      keyColumns: r.keys.slice(0, r.key_count).map(named),
      expressions: splitExpressions(r.expressions),
      includeColumns: r.keys.slice(r.key_count).map(named).filter((c): c is string => c !== null),
      opclasses: r.opclasses.map((o) => opclassNames.get(o) ?? ''),
      collations: r.collations.map((o) => collationNames.get(o) ?? ''),
      options: r.options,
      predicate: r.predicate,
      unique: r.unique,
      primary: r.primary,
      valid: r.valid,
      bytes: num(r.bytes),
      scans: num(r.scans),
      constraint: r.constraint,
    };
  });
}

/** Names of a few catalog objects by OID, in one query (the OIDs travel as a parameter). */
async function namesByOid(ctx: CollectContext, sql: string, oids: readonly number[]): Promise<Map<number, string>> {
  const wanted = [...new Set(oids.map(Number).filter((o) => o !== 0))];
  if (wanted.length === 0) return new Map();
  const rows = await ctx.session.query<{ oid: number; name: string }>(sql, [wanted]);
  return new Map(rows.map((r) => [r.oid, r.name]));
}

/**
 * pg_get_expr on indexprs joins several expressions with ", "; split at top-level commas only,
 * outside parentheses and quotes.
 */
export function splitExpressions(text: string | null): string[] {
  if (!text) return [];
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = null;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}
