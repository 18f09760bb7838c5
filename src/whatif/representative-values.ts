import type { Catalog } from '../derive/catalog.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { SafeClient } from '../db/session.js';
import { paramUses } from '../advisor/param-types.js';
import type { PlanInput } from './explain.js';
import { paramContext } from '../sql/param-context.js';

interface ColumnValues {
  readonly histogram: readonly string[];
  readonly common: readonly string[];
}

/** Values per column, read from pg_stats once per scan. They go into EXPLAIN only: never stored, never printed. */
export class StatsValues {
  private readonly cache = new Map<string, Promise<ColumnValues | null>>();
  constructor(private readonly client: SafeClient) {}

  of(schema: string, table: string, column: string): Promise<ColumnValues | null> {
    const key = JSON.stringify([schema, table, column]);
    let hit = this.cache.get(key);
    if (!hit) {
      hit = this.client
        .query<{ h: string[] | null; m: string[] | null }>(
          'SELECT histogram_bounds::text::text[] AS h, most_common_vals::text::text[] AS m FROM pg_stats WHERE schemaname = $1 AND tablename = $2 AND attname = $3 LIMIT 1',
          [schema, table, column],
        )
        .then((rows) => (rows[0] ? { histogram: rows[0].h ?? [], common: rows[0].m ?? [] } : null))
        .catch(() => null);
      this.cache.set(key, hit);
    }
    return hit;
  }
}

/**
 * A value a real call would plausibly pass, for the comparison it appears in: for equality, a typical value (the
 * middle of the histogram, else the rarest common value: apps look rows up by keys spread over many values); for
 * `>`, one near the top of the range and for `<`, near the bottom (recent rows, soon-to-expire rows: a tenth).
 */
function pick(values: ColumnValues, op: string | null): string | null {
  const h = values.histogram;
  const at = (q: number): string | null => (h.length > 0 ? h[Math.min(h.length - 1, Math.max(0, Math.round(q * (h.length - 1))))]! : null);
  if (op === '>' || op === '>=') return at(0.9) ?? values.common[values.common.length - 1] ?? null;
  if (op === '<' || op === '<=') return at(0.1) ?? values.common[values.common.length - 1] ?? null;
  return at(0.5) ?? values.common[values.common.length - 1] ?? null;
}

/** An array literal of one element, for `= ANY($1)`. */
function arrayOf(value: string): string {
  return `{"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"}`;
}

/**
 * Representative values for every parameter of a statement, or null when one of them has none to take (then the
 * custom-plan check is not made: a NULL would fold the predicate away and make any plan look cheap).
 */
export async function representativeValues(values: StatsValues, statement: WorkloadStatement, input: PlanInput, catalog: Catalog): Promise<(string | null)[] | null> {
  const uses = paramUses(statement, catalog);
  const context = paramContext(input.text);
  const out: (string | null)[] = [];
  for (let k = 1; k <= input.types.length; k++) {
    const use = uses.get(k);
    const ctx = context.get(k);
    let value: string | null = null;
    if (ctx === 'limit') value = '20';
    else if (ctx === 'offset') value = '0';
    else if (ctx === 'interval') value = '7 days';
    else if (ctx === 'date') value = new Date().toISOString().slice(0, 10);
    else if (ctx === 'timestamp') value = new Date().toISOString();
    else if (use?.schema && use.table && use.column) {
      const stats = await values.of(use.schema, use.table, use.column);
      const v = stats ? pick(stats, use.op) : null;
      value = v === null ? null : use.op === 'ANY' ? arrayOf(v) : v;
    } else if (input.types[k - 1] === 'text' || input.types[k - 1] === 'unknown') value = '';
    if (value === null) return null;
    out.push(value);
  }
  return out;
}
