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
    SELECT n.nspname::text AS schema, c.relname::text AS name, format_type(q.seqtypid, NULL) AS data_type,
           -- Reading last_value opens the sequence: skipped for bigint sequences with the default maximum feeding a
           -- bigint column (or none), which cannot come near their end; read for every sequence that can.
           CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
                 AND NOT (q.seqtypid = 'int8'::regtype AND q.seqmax = 9223372036854775807 AND q.seqincrement > 0
                          AND coalesce(a.atttypid = 'int8'::regtype, true))
                THEN pg_sequence_last_value(c.oid) END AS last_value,
           q.seqmin AS min_value, q.seqmax AS max_value, q.seqincrement AS increment,
           t.relname::text AS owner_table, a.attname::text AS owner_column,
           format_type(a.atttypid, a.atttypmod) AS owner_column_type
    FROM pg_sequence q
    JOIN pg_class c ON c.oid = q.seqrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
    LEFT JOIN pg_class t ON t.oid = d.refobjid
    LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
    WHERE n.nspname = ANY($1::text[])
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
