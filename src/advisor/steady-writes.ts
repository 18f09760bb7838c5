import type { Catalog } from '../derive/catalog.js';
import { tableKey } from '../derive/catalog.js';
import type { WorkloadStatement, WorkloadView } from '../derive/workload.js';

/** A statement with this few calls, each writing this many rows, is a load or a backfill, not traffic. */
const ONE_OFF_MAX_CALLS = 10;
const ONE_OFF_MIN_ROWS_PER_CALL = 1000;

/**
 * Why a statement is a one-off (a bulk load, a backfill, DDL, a migration) rather than recurring traffic, or null.
 * One-off statements are left out of the advisor's write cost and of the workload's total: a load that sits in the
 * stats window says nothing about the writes an index will have to keep up with tomorrow.
 */
export function oneOffReason(s: WorkloadStatement): string | null {
  const { calls, rows, query } = s.stat;
  if (s.stat.withheld) return 'a utility command (its text is withheld)';
  if (!s.parsed.ok) return /^\s*(copy|create|alter|drop|truncate|refresh|vacuum|analyze|cluster|reindex)\b/i.test(query) ? 'a utility command' : null;
  const shape = s.parsed.shape;
  if (shape.kind === 'utility') return /^\s*copy\b/i.test(query) ? 'a COPY load' : 'a utility command (DDL or maintenance)';
  const rowsPerCall = rows / Math.max(calls, 1);
  if (shape.kind !== 'select' && calls <= ONE_OFF_MAX_CALLS && rowsPerCall >= ONE_OFF_MIN_ROWS_PER_CALL) return `${calls} call${calls === 1 ? '' : 's'} writing ${Math.round(rowsPerCall)} rows each (a load or backfill)`;
  if (shape.kind === 'insert' && shape.insertFromQuery && calls <= 3 && rowsPerCall >= 100) return 'an INSERT … SELECT run once';
  return null;
}

export interface SteadyWrites {
  /** Rows the recurring traffic wrote to each table in the window that adds index entries (inserts, non-HOT updates). */
  readonly rowsByTable: ReadonlyMap<string, number>;
  /** One-off statements left out, by queryid, with why. */
  readonly oneOff: ReadonlyMap<string, string>;
  /** Database time of the recurring statements in the window (the one-offs left out). */
  readonly recurringMs: number;
}

/**
 * Recurring writes per table, from pg_stat_statements (same window as the time saved, so the two compare per call,
 * whatever the window's length). An UPDATE adds index entries only when it is not HOT: it is weighted by the
 * table's non-HOT share. DELETEs add none (vacuum removes entries later).
 */
export function steadyWrites(workload: WorkloadView, catalog: Catalog): SteadyWrites {
  const rowsByTable = new Map<string, number>();
  const oneOff = new Map<string, string>();
  let recurringMs = 0;
  for (const s of workload.statements) {
    const why = oneOffReason(s);
    if (why) {
      oneOff.set(s.stat.queryid, why);
      continue;
    }
    recurringMs += s.stat.totalMs;
    if (!s.parsed.ok) continue;
    const kind = s.parsed.shape.kind;
    if (kind !== 'insert' && kind !== 'update' && kind !== 'merge') continue;
    s.parsed.shape.tables.forEach((ref, i) => {
      const table = s.tables[i];
      if (!ref.target || !table) return;
      let weight = 1;
      if (kind === 'update' && table.stats.nTupUpd > 0) weight = 1 - Math.min(1, (table.stats.nTupHotUpd ?? 0) / table.stats.nTupUpd);
      const key = tableKey(table.schema, table.name);
      rowsByTable.set(key, (rowsByTable.get(key) ?? 0) + s.stat.rows * weight);
    });
  }
  return { rowsByTable, oneOff, recurringMs };
}
