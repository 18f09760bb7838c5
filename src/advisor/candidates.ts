import type { Index, Snapshot, Table } from '../model/snapshot.js';
import type { WorkloadStatement, WorkloadView } from '../derive/workload.js';
import type { Predicate, StatementShape } from '../sql/shape.js';
import type { AdvisorOptions } from './options.js';
import type { CandidateIndex, IndexKey, StatementAdvice } from '../model/advisor.js';
import { quoteIdent } from '../sql/quote.js';
import { notNullColumns } from '../sql/predicate.js';
import type { ScanState } from '../derive/scan-state.js';
import type { Catalog } from '../derive/catalog.js';
import { steadyWrites } from './steady-writes.js';
import type { SteadyWrites } from './steady-writes.js';

/** How many of the most expensive statements get an outcome even when below the floors. */
const EXPLAINED_TOP = 50;
const EQUALITY = new Set(['=', 'ANY', 'IN', 'IS NOT DISTINCT FROM']);
const RANGE = new Set(['<', '>', '<=', '>=', 'BETWEEN']);
/** Comparisons that are never true for a NULL column: a row they match is NOT NULL. */
const STRICT = new Set(['=', 'ANY', 'IN', '<', '>', '<=', '>=', 'BETWEEN', 'LIKE', 'ILIKE', '<>']);
const CONSTANT_FILTERS = new Set(['IS NULL', 'IS NOT NULL']);

export interface CandidateSet {
  /** Statements worth indexing for, in workload order. */
  readonly considered: readonly WorkloadStatement[];
  /** Statements left out, with the reason (parse failure, no predicate, tiny tables…). */
  readonly skipped: readonly StatementAdvice[];
  readonly candidates: readonly CandidateIndex[];
  /** For each considered statement, the candidate keys built from it. */
  readonly byStatement: ReadonlyMap<string, readonly string[]>;
  /** Recurring writes per table and the one-off statements left out (loads, backfills, DDL). */
  readonly steady: SteadyWrites;
}

export function candidateKey(c: Omit<CandidateIndex, 'key' | 'fromStatements'>): string {
  const keys = c.keys.map((k) => `${k.column}${k.desc ? ' DESC' : ''}`).join(', ');
  return `${c.schema}.${c.table}(${keys})${c.where ? ` WHERE ${c.where}` : ''}`;
}

/** Statements above the floors: a share of the total time with enough calls, or slow on their own. */
export function aboveFloors(statement: WorkloadStatement, totalMs: number, o: AdvisorOptions): boolean {
  const s = statement.stat;
  return (totalMs > 0 && s.totalMs / totalMs >= o.minTimeShare && s.calls >= o.minCalls) || s.meanMs >= o.minMeanMs;
}

/** Usable predicates of one table reference: plain conjuncts (not under OR) resolved to it. */
function predicatesOn(shape: StatementShape, refId: number): Predicate[] {
  return shape.predicates.filter((p) => p.tableId === refId && !p.inOr && p.source !== 'having');
}

/** Higher distinct count first: the most selective equality column leads. */
function distinctOf(catalog: Catalog, table: Table, column: string): number {
  const stat = catalog.columnStat(table.schema, table.name, column);
  if (!stat) return table.rowEstimate;
  return stat.nDistinct < 0 ? -stat.nDistinct * table.rowEstimate : stat.nDistinct;
}

/** `"deletedAt" IS NULL`: the column quoted, so the text is valid SQL for a partial index predicate. */
function constantFilter(p: Predicate): string {
  return `${quoteIdent(p.column)} ${p.op}`;
}

function keyOf(p: Predicate): IndexKey {
  return p.expression ? { column: p.expression, expression: true, desc: false } : { column: p.column, expression: false, desc: false };
}

/**
 * Filters on constants (`deleted_at IS NULL`) that every considered statement on the table carries:
 * a partial index on them is smaller and serves them all.
 */
function commonConstantFilters(statements: readonly WorkloadStatement[], table: Table): string[] {
  let common: Set<string> | null = null;
  for (const s of statements) {
    const shape = s.parsed.ok ? s.parsed.shape : null;
    if (!shape || shape.kind === 'insert') continue;
    shape.tables.forEach((_ref, refId) => {
      if (s.tables[refId] !== table) return;
      const filters = new Set(predicatesOn(shape, refId).filter((p) => CONSTANT_FILTERS.has(p.op) && !p.expression).map(constantFilter));
      common = common === null ? filters : new Set([...common].filter((f) => filters.has(f)));
    });
  }
  return [...(common ?? [])].sort();
}

/**
 * True when an existing valid index already leads with exactly these keys and its predicate holds for the statement:
 * the same partial filter, or only `col IS NOT NULL` on columns the statement compares with a value (`col = $1`
 * never matches a NULL, so the partial index serves it).
 */
export function coveredByExisting(indexes: readonly Index[], keys: readonly IndexKey[], where: string | null, strictColumns: ReadonlySet<string> = new Set()): Index | undefined {
  return indexes.find((index) => {
    if (!index.valid || index.method !== 'btree') return false;
    if (index.predicate !== null && index.predicate !== `(${where})`) {
      const required = notNullColumns(index.predicate);
      if (!required || ![...required].every((c) => strictColumns.has(c))) return false;
    }
    if (index.keyColumns.length < keys.length) return false;
    let expression = 0;
    return keys.every((k, i) => {
      const column = index.keyColumns[i];
      const text = column ?? index.expressions[expression++] ?? '';
      const desc = ((index.options[i] ?? 0) & 1) === 1;
      return text === k.column && (k.desc === desc || i === keys.length - 1);
    });
  });
}

function dedupeKeys(keys: IndexKey[]): IndexKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => (seen.has(k.column) ? false : (seen.add(k.column), true)));
}

/** Build candidate indexes from the workload's predicates: equality first, then a range, then ORDER BY. */
export function buildCandidates(scan: ScanState, o: AdvisorOptions): CandidateSet {
  const { snapshot, catalog, workload } = scan;
  const considered: WorkloadStatement[] = [];
  const skipped: StatementAdvice[] = [];
  const skip = (s: WorkloadStatement, outcome: StatementAdvice['outcome'], reason: string): void => {
    skipped.push({ queryid: s.stat.queryid, outcome, reason, costBefore: null, costAfter: null, plan: [] });
  };
  const steady = steadyWrites(workload, catalog);
  // The statements holding the most time get an outcome whatever it is, so none of them is left unexplained.
  const top = new Set([...workload.statements].sort((a, b) => b.stat.totalMs - a.stat.totalMs).slice(0, EXPLAINED_TOP).map((s) => s.stat.queryid));
  for (const s of workload.statements) {
    const oneOff = steady.oneOff.get(s.stat.queryid);
    if (oneOff) {
      if (top.has(s.stat.queryid)) skip(s, 'one-off', `${oneOff}: left out of the steady workload and of the write cost`);
      continue;
    }
    if (!aboveFloors(s, steady.recurringMs, o)) {
      if (top.has(s.stat.queryid)) {
        const share = (100 * s.stat.totalMs) / Math.max(steady.recurringMs, 1e-9);
        skip(s, 'below-floor', `${share.toFixed(2)}% of the recurring database time over ${s.stat.calls} calls: under the advisor's floors (minTimeShare ${o.minTimeShare * 100}% with ${o.minCalls} calls, or a mean of ${o.minMeanMs} ms)`);
      }
      continue;
    }
    if (!s.parsed.ok) skip(s, 'unplannable', `could not be parsed, even with pg_stat_statements' normalization repaired (${s.parsed.message}); it may have been truncated`);
    else if (s.parsed.shape.kind === 'utility' || s.parsed.shape.kind === 'insert') skip(s, 'not-a-query', `${s.parsed.shape.kind === 'insert' ? 'an INSERT' : 'a utility command'}: indexes do not make it faster`);
    else considered.push(s);
  }
  const byKey = new Map<string, CandidateIndex>();
  const byStatement = new Map<string, string[]>();
  const kept: WorkloadStatement[] = [];
  for (const s of considered) {
    const shape = (s.parsed as { shape: StatementShape }).shape;
    const keys: string[] = [];
    let sawBigTable = false;
    let sawPredicate = false;
    shape.tables.forEach((_ref, refId) => {
      const table = s.tables[refId];
      if (!table) return;
      if (table.rowEstimate < o.minTableRows) return;
      sawBigTable = true;
      const preds = predicatesOn(shape, refId);
      const partialFilters = commonConstantFilters(workload.onTable(table.schema, table.name).filter((w) => considered.includes(w)), table).filter((f) =>
        preds.some((p) => constantFilter(p) === f),
      );
      const partialColumns = new Set(preds.filter((p) => partialFilters.includes(constantFilter(p))).map((p) => p.column));
      const where = partialFilters.length > 0 ? partialFilters.join(' AND ') : null;
      const bySelectivity = (a: Predicate, b: Predicate): number => distinctOf(catalog, table, b.column) - distinctOf(catalog, table, a.column);
      // Filters bound to values lead composite keys; join keys serve as the inner side of a nested loop.
      const eq = dedupeKeys(
        preds
          .filter((p) => EQUALITY.has(p.op) && p.operand !== 'null' && p.operand !== 'column')
          .filter((p) => p.expression || !partialColumns.has(p.column))
          .sort(bySelectivity)
          .map(keyOf),
      );
      const joinKeys = dedupeKeys(preds.filter((p) => p.op === '=' && p.operand === 'column' && p.other !== null && p.other.tableId !== refId).map(keyOf)).filter((k) => !eq.some((e) => e.column === k.column));
      const range = dedupeKeys(preds.filter((p) => RANGE.has(p.op) && (p.operand === 'param' || p.operand === 'const')).map(keyOf)).filter((k) => !eq.some((e) => e.column === k.column));
      const orderOnThis = shape.orderBy.length > 0 && shape.orderBy.every((k) => k.tableId === refId);
      const order: IndexKey[] = orderOnThis ? shape.orderBy.map((k) => ({ column: k.column, expression: false, desc: k.desc })) : [];
      const constantOnly = preds.filter((p) => CONSTANT_FILTERS.has(p.op));
      if (eq.length === 0 && range.length === 0 && order.length === 0 && joinKeys.length === 0 && constantOnly.length === 0) return;
      sawPredicate = true;
      const strict = new Set(preds.filter((p) => !p.expression && (STRICT.has(p.op) || p.op === 'IS NOT NULL') && p.operand !== 'null').map((p) => p.column));
      const max = o.maxKeyColumns;
      const variants: IndexKey[][] = [];
      const eqPrefix = eq.slice(0, max);
      if (eqPrefix.length > 0) variants.push(eqPrefix);
      if (range[0] && eqPrefix.length < max) variants.push([...eqPrefix, range[0]]);
      if (order.length > 0 && (shape.limit || eqPrefix.length > 0)) variants.push(dedupeKeys([...eqPrefix, ...order]).slice(0, max));
      for (const k of eq.slice(0, max)) variants.push([k]);
      if (range[0]) variants.push([range[0]]);
      for (const k of joinKeys) variants.push([k]);
      for (const v of variants) {
        if (v.length === 0) continue;
        const base = { schema: table.schema, table: table.name, keys: v, where };
        if (coveredByExisting(catalog.indexesOf(table.schema, table.name), v, where, strict)) continue;
        const key = candidateKey(base);
        const existing = byKey.get(key);
        const from = existing?.fromStatements ?? [];
        byKey.set(key, { ...base, key, fromStatements: from.includes(s.stat.queryid) ? from : [...from, s.stat.queryid] });
        if (!keys.includes(key)) keys.push(key);
      }
    });
    if (!sawBigTable) skip(s, 'tiny-tables', `every table it reads has fewer than ${o.minTableRows} rows: a scan is already cheap`);
    else if (!sawPredicate) skip(s, 'no-usable-predicate', 'no filter, join key or ORDER BY an index could serve (it reads whole tables, or filters only under OR / on expressions of several columns)');
    else {
      kept.push(s);
      byStatement.set(s.stat.queryid, keys);
    }
  }
  return { considered: kept, skipped, candidates: [...byKey.values()], byStatement, steady };
}
