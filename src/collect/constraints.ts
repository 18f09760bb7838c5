import type { CollectContext } from './context.js';
import type { Constraint, ConstraintType } from '../model/snapshot.js';

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  contype: string;
  columns: string[];
  definition: string;
  validated: boolean;
  ref_schema: string | null;
  ref_table: string | null;
  ref_columns: string[] | null;
  on_delete: string;
  on_update: string;
}

const TYPES: Record<string, ConstraintType> = { p: 'primary', f: 'foreign', u: 'unique', c: 'check', x: 'exclusion', n: 'not-null' };
const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/** PK, FK (columns, target, actions), UNIQUE, CHECK and EXCLUDE constraints of the tables in scope. */
export async function collectConstraints(ctx: CollectContext): Promise<Constraint[]> {
  const rows = await ctx.session.query<ConstraintRow>(
    `
    SELECT n.nspname AS schema, t.relname AS table, con.conname AS name, con.contype::text AS contype,
           ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
           pg_get_constraintdef(con.oid) AS definition, con.convalidated AS validated,
           rn.nspname AS ref_schema, rt.relname AS ref_table,
           CASE WHEN con.contype = 'f' THEN
             ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                   JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord)
           END AS ref_columns,
           con.confdeltype::text AS on_delete, con.confupdtype::text AS on_update
    FROM pg_constraint con
    JOIN pg_class t ON t.oid = con.conrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    LEFT JOIN pg_class rt ON rt.oid = con.confrelid
    LEFT JOIN pg_namespace rn ON rn.oid = rt.relnamespace
    WHERE t.relkind IN ('r', 'p') AND n.nspname = ANY($1::text[]) AND con.contype IN ('p', 'f', 'u', 'c', 'x')
      AND con.conparentid = 0
    ORDER BY n.nspname, t.relname, con.conname`,
    [ctx.schemas],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    type: TYPES[r.contype] ?? 'check',
    columns: r.columns,
    definition: r.definition,
    validated: r.validated,
    references:
      r.contype === 'f' && r.ref_schema && r.ref_table
        ? {
            schema: r.ref_schema,
            table: r.ref_table,
            columns: r.ref_columns ?? [],
            onDelete: ACTIONS[r.on_delete] ?? 'NO ACTION',
            onUpdate: ACTIONS[r.on_update] ?? 'NO ACTION',
          }
        : null,
  }));
}
