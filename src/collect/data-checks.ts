import { checkCandidates, foreignKeyCandidates, notNullCandidates, uniqueCandidates } from '../integrity/candidates.js';
import { keySql, qualified, quoteIdent } from '../sql/quote.js';
import type { CollectContext } from './context.js';
import { num } from './context.js';
import { failureWarning, sampledFrom } from './bounded.js';
import type { ProbeRequest, TablePlan } from './table-reads.js';
import type { BoundedFailure } from './bounded.js';
import { isLabel } from './labels.js';
import type { DataCheck, DataChecks, Table, ValueCheck } from '../model/snapshot.js';
import type { ScanState } from '../derive/scan-state.js';

export { CHECK_TIMEOUT_MS, EXACT_ROW_LIMIT } from './bounded.js';

/** A value is shown only when at least this many rows hold it (a label, not one row's data). */
export const MIN_ROWS_PER_VALUE = 3;
/** At most this many distinct values are read per enum-like column. */
const MAX_VALUES = 20;

const counts = (names: readonly string[], answer: unknown): Record<string, number> =>
  Object.fromEntries(names.map((n, i) => [n, num((answer as unknown[] | null)?.[i])]));

/**
 * Measure the damage the missing constraints let in — orphans, duplicate groups, NULL counts, the values of
 * enum-like columns — each bounded: exact below EXACT_ROW_LIMIT rows, sampled above (and labelled), under the
 * per-check statement_timeout. All checks of a table go in one statement (src/collect/table-reads.ts); a table
 * whose heap is empty needs none. Only counts leave the server, and the values of enum-like columns only when
 * every one of them looks like a label held by several rows.
 */
export function planDataChecks(scan: ScanState): TablePlan<DataChecks> {
  // The candidates need catalog lookups only (the workload is parsed lazily, so never here).
  const failures: BoundedFailure[] = [];
  const pending: ProbeRequest[] = [];
  const foreignKeys: DataCheck[] = [];
  const uniques: DataCheck[] = [];
  const nulls: DataCheck[] = [];
  const values: ValueCheck[] = [];

  /** A counting check: its answer is a JSON array of counts, in the order of `names`. */
  const countCheck = (into: DataCheck[], table: Table, columns: readonly string[], names: readonly string[], sql: (from: string) => string): void => {
    const f = sampledFrom(table.schema, table.name, table.rowEstimate, 't');
    const base = { schema: table.schema, table: table.name, columns: [...columns], estimated: f.estimated };
    const at = into.length;
    into.push({ ...base, confidence: 'failed', counts: {} });
    pending.push({
      table,
      probe: { sql: `(${sql(f.sql)})`, empty: names.map(() => 0) },
      done: (answer) => (into[at] = { ...base, confidence: f.estimated ? 'sampled' : 'exact', counts: counts(names, answer) }),
      failed: (failure) => {
        failures.push(failure);
        into[at] = { ...base, confidence: failure.cause === 'timeout' ? 'timed-out' : 'failed', counts: {}, failure: failure.cause };
      },
    });
  };

  /** The NULL counts of a table's columns, in one probe: its answer is [rows, nulls of each column]. */
  const nullCounts = (table: Table, columns: readonly string[]): void => {
    const f = sampledFrom(table.schema, table.name, table.rowEstimate, 't');
    const slots = columns.map((column) => {
      const base = { schema: table.schema, table: table.name, columns: [column], estimated: f.estimated };
      nulls.push({ ...base, confidence: 'failed', counts: {} });
      return { at: nulls.length - 1, base };
    });
    pending.push({
      table,
      probe: {
        sql: `(SELECT json_build_array(count(*), ${columns.map((c) => `count(*) FILTER (WHERE t.${quoteIdent(c)} IS NULL)`).join(', ')}) FROM ${f.sql})`,
        empty: [0, ...columns.map(() => 0)],
      },
      done: (answer) => {
        const values = (answer as unknown[] | null) ?? [];
        slots.forEach(({ at, base }, i) => (nulls[at] = { ...base, confidence: f.estimated ? 'sampled' : 'exact', counts: counts(['rows', 'nulls'], [values[0], values[i + 1]]) }));
      },
      failed: (failure) => {
        failures.push(...slots.map(() => failure));
        for (const { at, base } of slots) nulls[at] = { ...base, confidence: failure.cause === 'timeout' ? 'timed-out' : 'failed', counts: {}, failure: failure.cause };
      },
    });
  };

  for (const c of foreignKeyCandidates(scan)) {
    const table = scan.catalog.table(c.schema, c.table);
    if (!table) continue;
    const col = `t.${quoteIdent(c.column)}`;
    countCheck(foreignKeys, table, [c.column], ['rows', 'non_null', 'orphans'], (from) =>
      `SELECT json_build_array(count(*), count(${col}),
              count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${qualified(c.target.schema, c.target.table)} p WHERE p.${quoteIdent(c.target.column)} = ${col})))
       FROM ${from}`,
    );
  }
  for (const c of uniqueCandidates(scan)) {
    const table = scan.catalog.table(c.schema, c.table);
    if (!table) continue;
    const keys = c.keyParts.map((k) => keySql(k, 't'));
    const notNull = c.columns.map((x) => `t.${quoteIdent(x)} IS NOT NULL`).join(' AND ');
    countCheck(uniques, table, c.keys, ['groups', 'rows', 'extra'], (from) =>
      `SELECT json_build_array(count(*), coalesce(sum(n), 0), coalesce(sum(n - 1), 0))
       FROM (SELECT count(*) AS n FROM ${from} WHERE ${notNull} GROUP BY ${keys.join(', ')} HAVING count(*) > 1) d`,
    );
  }
  // A table's NULL counts are one scan: count(*) once, one FILTER per column.
  const nullColumns = new Map<Table, string[]>();
  for (const c of notNullCandidates(scan)) {
    const table = scan.catalog.table(c.schema, c.table);
    if (!table) continue;
    const list = nullColumns.get(table);
    if (list) list.push(c.column);
    else nullColumns.set(table, [c.column]);
  }
  for (const [table, columns] of nullColumns) nullCounts(table, columns);
  for (const c of checkCandidates(scan)) {
    const table = scan.catalog.table(c.schema, c.table);
    if (!table) continue;
    const f = sampledFrom(table.schema, table.name, table.rowEstimate, 't');
    const col = `t.${quoteIdent(c.column)}`;
    const base = { schema: c.schema, table: c.table, column: c.column };
    const at = values.length;
    values.push({ ...base, values: [], distinct: null, complete: false, shown: false, failure: 'error' });
    pending.push({
      table,
      // Grouped over the bounded sample: the counts say whether each value is a label many rows share.
      probe: {
        sql: `(SELECT coalesce(json_agg(json_build_array(v, n) ORDER BY n DESC, v), '[]') FROM (SELECT ${col}::text AS v, count(*) AS n FROM ${f.sql} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_VALUES + 1}) x)`,
        empty: [],
      },
      done: (answer) => {
        const seen = ((answer as [unknown, unknown][] | null) ?? []).map(([v, n]) => ({ v: String(v), n: num(n) }));
        const complete = seen.length <= MAX_VALUES;
        const shown = complete && seen.every((s) => s.n >= MIN_ROWS_PER_VALUE && isLabel(s.v));
        values[at] = { ...base, values: shown ? seen.map((s) => s.v).sort() : [], distinct: seen.length, complete, shown, estimated: f.estimated };
      },
      failed: (failure) => {
        failures.push(failure);
        values[at] = { ...base, values: [], distinct: null, complete: false, shown: false, failure: failure.cause };
      },
    });
  }

  return {
    requests: pending,
    finish: (ctx) => {
      for (const warning of failureWarning(ctx, failures, 'data check(s) (orphans, duplicates, NULLs, enum values)', 'data-checks')) ctx.warn(warning);
      return { foreignKeys, uniques, nulls, values };
    },
  };
}
