import { checkCandidates, foreignKeyCandidates, notNullCandidates, uniqueCandidates } from '../integrity/candidates.js';
import { keySql, qualified, quoteIdent } from '../sql/quote.js';
import type { CollectContext } from './context.js';
import { num } from './context.js';
import { boundedQuery, failureWarning, sampledFrom } from './bounded.js';
import type { BoundedFailure } from './bounded.js';
import { isLabel } from './labels.js';
import type { DataCheck, DataChecks, Snapshot, ValueCheck } from '../model/snapshot.js';
import { deriveScan } from '../derive/scan-state.js';

export { CHECK_TIMEOUT_MS, EXACT_ROW_LIMIT } from './bounded.js';

/** A value is shown only when at least this many rows hold it (a label, not one row's data). */
export const MIN_ROWS_PER_VALUE = 3;
/** At most this many distinct values are read per enum-like column. */
const MAX_VALUES = 20;

/**
 * Measure the damage the missing constraints let in — orphans, duplicate groups, NULL counts, the values of
 * enum-like columns — each bounded: exact below EXACT_ROW_LIMIT rows, sampled above (and labelled), each under
 * its own statement_timeout. Only counts leave the server, and the values of enum-like columns only when every
 * one of them looks like a label held by several rows.
 */
export async function collectDataChecks(ctx: CollectContext, snapshot: Snapshot): Promise<DataChecks> {
  // The candidates need catalog lookups only (the workload is parsed lazily, so never here).
  const scan = deriveScan(snapshot);
  const tables = new Map(snapshot.tables.map((t) => [`${t.schema}\u0000${t.name}`, t]));
  const rows = (schema: string, table: string): number => tables.get(`${schema}\u0000${table}`)?.rowEstimate ?? 0;
  const oid = (schema: string, table: string): number | undefined => tables.get(`${schema}\u0000${table}`)?.oid;
  const failures: BoundedFailure[] = [];
  const check = async (base: Omit<DataCheck, 'confidence' | 'counts'>, sql: string): Promise<DataCheck> => {
    const r = await boundedQuery(ctx, sql, [], oid(base.schema, base.table));
    if ('failure' in r) {
      failures.push(r.failure);
      return { ...base, confidence: r.failure.cause === 'timeout' ? 'timed-out' : 'failed', counts: {}, failure: r.failure.cause };
    }
    const row = r.rows[0] ?? {};
    return { ...base, confidence: base.estimated ? 'sampled' : 'exact', counts: Object.fromEntries(Object.entries(row).map(([k, v]) => [k, num(v)])) };
  };

  const foreignKeys: DataCheck[] = [];
  for (const c of foreignKeyCandidates(scan)) {
    const f = sampledFrom(c.schema, c.table, rows(c.schema, c.table), 't');
    const col = `t.${quoteIdent(c.column)}`;
    foreignKeys.push(
      await check(
        { schema: c.schema, table: c.table, columns: [c.column], estimated: f.estimated },
        `SELECT count(*) AS rows, count(${col}) AS non_null,
                count(*) FILTER (WHERE ${col} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${qualified(c.target.schema, c.target.table)} p WHERE p.${quoteIdent(c.target.column)} = ${col})) AS orphans
         FROM ${f.sql}`,
      ),
    );
  }
  const uniques: DataCheck[] = [];
  for (const c of uniqueCandidates(scan)) {
    const f = sampledFrom(c.schema, c.table, rows(c.schema, c.table), 't');
    const keys = c.keyParts.map((k) => keySql(k, 't'));
    const notNull = c.columns.map((x) => `t.${quoteIdent(x)} IS NOT NULL`).join(' AND ');
    uniques.push(
      await check(
        { schema: c.schema, table: c.table, columns: [...c.keys], estimated: f.estimated },
        `SELECT count(*) AS groups, coalesce(sum(n), 0) AS rows, coalesce(sum(n - 1), 0) AS extra
         FROM (SELECT count(*) AS n FROM ${f.sql} WHERE ${notNull} GROUP BY ${keys.join(', ')} HAVING count(*) > 1) d`,
      ),
    );
  }
  const nulls: DataCheck[] = [];
  for (const c of notNullCandidates(scan)) {
    const f = sampledFrom(c.schema, c.table, rows(c.schema, c.table), 't');
    nulls.push(
      await check(
        { schema: c.schema, table: c.table, columns: [c.column], estimated: f.estimated },
        `SELECT count(*) AS rows, count(*) FILTER (WHERE t.${quoteIdent(c.column)} IS NULL) AS nulls FROM ${f.sql}`,
      ),
    );
  }
  const values: ValueCheck[] = [];
  for (const c of checkCandidates(scan)) {
    const f = sampledFrom(c.schema, c.table, rows(c.schema, c.table), 't');
    const col = `t.${quoteIdent(c.column)}`;
    // Grouped over the bounded sample: the counts say whether each value is a label many rows share.
    const r = await boundedQuery(ctx, `SELECT ${col}::text AS v, count(*) AS n FROM ${f.sql} WHERE ${col} IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${MAX_VALUES + 1}`, [], oid(c.schema, c.table));
    if ('failure' in r) {
      failures.push(r.failure);
      values.push({ schema: c.schema, table: c.table, column: c.column, values: [], distinct: null, complete: false, shown: false, failure: r.failure.cause });
      continue;
    }
    const seen = r.rows.map((row) => ({ v: String(row.v), n: num(row.n) }));
    const complete = seen.length <= MAX_VALUES;
    const shown = complete && seen.every((s) => s.n >= MIN_ROWS_PER_VALUE && isLabel(s.v));
    values.push({ schema: c.schema, table: c.table, column: c.column, values: shown ? seen.map((s) => s.v).sort() : [], distinct: seen.length, complete, shown });
  }
  for (const warning of failureWarning(ctx, failures, 'data check(s) (orphans, duplicates, NULLs, enum values)', 'data-checks')) ctx.warn(warning);
  return { foreignKeys, uniques, nulls, values };
}
