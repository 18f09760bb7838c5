import type { CollectContext } from './context.js';
import type { Constraint, ConstraintType, Table } from '../model/snapshot.js';

interface ConstraintRow {
  schema: string;
  table: string;
  name: string;
  contype: string;
  table_oid: number;
  keys: number[] | null;
  ref_oid: number | null;
  ref_keys: number[] | null;
  definition: string;
  validated: boolean;
  ref_schema: string | null;
  ref_table: string | null;
  on_delete: string;
  on_update: string;
}

const TYPES: Record<string, ConstraintType> = { p: 'primary', f: 'foreign', u: 'unique', c: 'check', x: 'exclusion', n: 'not-null' };
const ACTIONS: Record<string, string> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };

/**
 * PK, FK (columns, target, actions), UNIQUE, CHECK and EXCLUDE constraints of the tables in scope. Key columns are
 * named from the tables already read (no per-constraint subquery over pg_attribute); the columns of tables not read
 * (referenced in another schema, owned by an extension) are named by one more query.
 */
export async function collectConstraints(ctx: CollectContext, tables: Promise<readonly Table[]> | readonly Table[]): Promise<Constraint[]> {
  const rows = await ctx.session.query<ConstraintRow>(
    `
    SELECT n.nspname AS schema, t.relname AS table, con.conname AS name, con.contype::text AS contype,
           con.conrelid::int AS table_oid, con.conkey::int2[] AS keys,
           pg_get_constraintdef(con.oid) AS definition, con.convalidated AS validated,
           rn.nspname AS ref_schema, rt.relname AS ref_table, con.confrelid::int AS ref_oid, con.confkey::int2[] AS ref_keys,
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
  const columnNames = new Map((await tables).map((t) => [t.oid, new Map(t.columns.map((c) => [c.attnum, c.name]))]));
  // Tables not read (a referenced table in another schema, one an extension owns): their columns in one query.
  const unread = [...new Set(rows.flatMap((r) => [r.table_oid, r.ref_oid]).filter((o): o is number => o !== null && o !== 0 && !columnNames.has(o)))];
  if (unread.length > 0) {
    const attributes = await ctx.session.query<{ oid: number; attnum: number; name: string }>(
      `SELECT attrelid::int AS oid, attnum::int AS attnum, attname::text AS name FROM pg_attribute WHERE attrelid = ANY($1::oid[]) AND attnum > 0 AND NOT attisdropped`,
      [unread],
    );
    for (const a of attributes) {
      const columns = columnNames.get(a.oid) ?? new Map<number, string>();
      columns.set(a.attnum, a.name);
      columnNames.set(a.oid, columns);
    }
  }
  const named = (oid: number | null, keys: readonly number[] | null): string[] => {
    const columns = oid === null ? undefined : columnNames.get(oid);
    return (keys ?? []).map((k) => columns?.get(k)).filter((c): c is string => c !== undefined);
  };
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    type: TYPES[r.contype] ?? 'check',
    columns: named(r.table_oid, r.keys),
    definition: r.definition,
    validated: r.validated,
    references:
      r.contype === 'f' && r.ref_schema && r.ref_table
        ? {
            schema: r.ref_schema,
            table: r.ref_table,
            columns: named(r.ref_oid, r.ref_keys),
            onDelete: ACTIONS[r.on_delete] ?? 'NO ACTION',
            onUpdate: ACTIONS[r.on_update] ?? 'NO ACTION',
          }
        : null,
  }));
}
