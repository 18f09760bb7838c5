import type { CollectContext } from './context.js';
import { num, numOrNull } from './context.js';
import type { Sequence } from '../model/snapshot.js';

/** Sequences with type, bounds, last value, and the column (serial or identity) that draws from them. */
export async function collectSequences(ctx: CollectContext): Promise<Sequence[]> {
  const rows = await ctx.session.query<{
    schema: string;
    name: string;
    data_type: string;
    last_value: string | null;
    min_value: string;
    max_value: string;
    increment: string;
    owner_table: string | null;
    owner_column: string | null;
    owner_column_type: string | null;
  }>(
    `
    SELECT s.schemaname::text AS schema, s.sequencename::text AS name, format_type(s.data_type, NULL) AS data_type,
           s.last_value, s.min_value, s.max_value, s.increment_by AS increment,
           t.relname::text AS owner_table, a.attname::text AS owner_column,
           format_type(a.atttypid, a.atttypmod) AS owner_column_type
    FROM pg_sequences s
    JOIN pg_namespace n ON n.nspname = s.schemaname
    JOIN pg_class c ON c.relname = s.sequencename AND c.relnamespace = n.oid
    LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_class t ON t.oid = d.refobjid
    LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE s.schemaname = ANY($1::text[])
    ORDER BY 1, 2`,
    [ctx.schemas],
  );
  return rows.map((r) => ({
    schema: r.schema,
    name: r.name,
    dataType: r.data_type,
    lastValue: numOrNull(r.last_value),
    minValue: num(r.min_value),
    maxValue: num(r.max_value),
    increment: num(r.increment),
    ownedBy:
      r.owner_table && r.owner_column && r.owner_column_type
        ? { table: r.owner_table, column: r.owner_column, columnType: r.owner_column_type }
        : null,
  }));
}
