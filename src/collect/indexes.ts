import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { Index } from '../model/snapshot.js';

interface IndexRow {
  schema: string;
  table: string;
  name: string;
  definition: string;
  method: string;
  key_columns: (string | null)[];
  expressions: string | null;
  include_columns: string[];
  opclasses: string[];
  collations: string[];
  options: number[];
  predicate: string | null;
  unique: boolean;
  primary: boolean;
  valid: boolean;
  bytes: string;
  scans: string | null;
  constraint: string | null;
}

/** Every index on the tables in scope, with keys, expressions, predicate, validity, size and scans. */
export async function collectIndexes(ctx: CollectContext): Promise<Index[]> {
  const rows = await ctx.session.query<IndexRow>(
    `
    SELECT n.nspname AS schema, t.relname AS table, ic.relname AS name,
           -- pg_get_indexdef locks the table: for a table another session locks, the definition is left unread ('').
           CASE WHEN i.indexrelid = ANY($2::oid[]) OR i.indrelid = ANY($2::oid[]) THEN '' ELSE pg_get_indexdef(i.indexrelid) END AS definition, am.amname AS method,
           ARRAY(SELECT CASE WHEN k.attnum = 0 THEN NULL ELSE a.attname::text END
                 FROM unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, ord)
                 LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS key_columns,
           pg_get_expr(i.indexprs, i.indrelid) AS expressions,
           ARRAY(SELECT a.attname::text
                 FROM unnest(i.indkey[i.indnkeyatts:i.indnatts - 1]) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                 ORDER BY k.ord) AS include_columns,
           ARRAY(SELECT oc.opcname::text FROM unnest(i.indclass) WITH ORDINALITY AS k(opc, ord)
                 JOIN pg_opclass oc ON oc.oid = k.opc ORDER BY k.ord) AS opclasses,
           ARRAY(SELECT coalesce(co.collname::text, '') FROM unnest(i.indcollation) WITH ORDINALITY AS k(coll, ord)
                 LEFT JOIN pg_collation co ON co.oid = k.coll ORDER BY k.ord) AS collations,
           ARRAY(SELECT o::int FROM unnest(i.indoption) AS o) AS options,
           pg_get_expr(i.indpred, i.indrelid) AS predicate,
           i.indisunique AS unique, i.indisprimary AS primary, i.indisvalid AS valid,
           CASE WHEN i.indexrelid = ANY($2::oid[]) OR i.indrelid = ANY($2::oid[]) THEN ic.relpages::bigint * current_setting('block_size')::bigint
                ELSE pg_relation_size(i.indexrelid) END AS bytes, s.idx_scan AS scans,
           con.conname AS constraint
    FROM pg_index i
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    JOIN pg_am am ON am.oid = ic.relam
    LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x')
    WHERE t.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[])
    ORDER BY n.nspname, t.relname, ic.relname`,
    [ctx.schemas, [...ctx.locked]],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    definition: r.definition,
    method: r.method,
    keyColumns: r.key_columns,
    expressions: splitExpressions(r.expressions),
    includeColumns: r.include_columns,
    opclasses: r.opclasses,
    collations: r.collations,
    options: r.options,
    predicate: r.predicate,
    unique: r.unique,
    primary: r.primary,
    valid: r.valid,
    bytes: num(r.bytes),
    scans: num(r.scans),
    constraint: r.constraint,
  }));
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
