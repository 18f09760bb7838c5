import type { CollectContext } from './context.js';
import { num, numOrNull } from './context.js';
import type { ColumnStats } from '../model/snapshot.js';

/**
 * Planner statistics per column from pg_stats: null fraction, distinct estimate, width, correlation.
 * Never the most-common values: those are row values.
 */
export async function collectColumnStats(ctx: CollectContext): Promise<ColumnStats[]> {
  const rows = await ctx.session.query<{
    schema: string;
    table: string;
    column: string;
    null_frac: number;
    n_distinct: number;
    avg_width: number;
    correlation: number | null;
  }>(
    `
    SELECT schemaname::text AS schema, tablename::text AS table, attname::text AS column,
           null_frac::float8 AS null_frac, n_distinct::float8 AS n_distinct, avg_width, correlation::float8 AS correlation
    FROM pg_stats
    WHERE schemaname = ANY($1::text[]) AND NOT inherited
    ORDER BY 1, 2, 3`,
    [ctx.schemas],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    column: r.column,
    nullFrac: num(r.null_frac),
    nDistinct: num(r.n_distinct),
    avgWidth: num(r.avg_width),
    correlation: numOrNull(r.correlation),
  }));
}
