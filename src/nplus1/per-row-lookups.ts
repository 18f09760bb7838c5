import type { Snapshot, StatementStat, Table } from '../model/snapshot.js';
import type { WorkloadView } from '../derive/workload.js';
import type { StatementShape } from '../sql/shape.js';
import { tableForKeyColumn, tablesReferencingByName } from '../scope/vocabulary.js';
import type { ScanState } from '../derive/scan-state.js';
import { keyPredicates, lookupKey } from './lookup-key.js';

/** Documented defaults (docs/rules/n-plus-one.md). */
export const NPLUS1_DEFAULTS = { minChildCalls: 50, minRatio: 0.3, maxRatio: 1.5, minCallsPerParentCall: 2, maxRowsPerCall: 1.5, maxChildrenPerCall: 50, minParentRowsPerCall: 2 };

/** pg_stat_statements entries merged by libpg-query fingerprint: IN lists of any length become one shape. */
export interface MergedStatement {
  readonly fingerprint: string;
  readonly representative: StatementStat;
  readonly members: readonly StatementStat[];
  readonly shape: StatementShape;
  readonly tables: readonly (Table | undefined)[];
  readonly calls: number;
  readonly rows: number;
  readonly totalMs: number;
}

// PostgreSQL 18 writes a squashed list of several values as `IN ($1` followed by a `, ...` comment and `)`: one
// parameter in the text, many sent.
const SQUASHED_LIST = /\/\*\s*,\s*\.\.\.\s*\*\//;

/** An `IN (…)` of exactly one parameter, as written (not a list PostgreSQL 18 squashed into one). */
export function singleKeyList(shape: StatementShape, query: string): boolean {
  return shape.predicates.some((p) => p.op === 'IN' && p.param !== undefined) && !SQUASHED_LIST.test(query);
}

export function mergeByFingerprint(workload: WorkloadView): MergedStatement[] {
  const groups = new Map<string, { stats: StatementStat[]; shape: StatementShape; tables: readonly (Table | undefined)[] }>();
  for (const s of workload.statements) {
    if (!s.parsed.ok || !s.parsed.fingerprint) continue;
    // libpg-query's fingerprint is blind to an IN list's length: a loop's `IN ($1)` (TypeORM's lazy relation, a
    // key lookup) must not merge with the batched `IN ($1, $2, …)` that replaces it.
    const key = singleKeyList(s.parsed.shape, s.stat.query) ? `${s.parsed.fingerprint}:one` : s.parsed.fingerprint;
    const g = groups.get(key);
    if (g) g.stats.push(s.stat);
    else groups.set(key, { stats: [s.stat], shape: s.parsed.shape, tables: s.tables });
  }
  return [...groups].map(([fingerprint, g]) => ({
    fingerprint,
    representative: [...g.stats].sort((a, b) => b.calls - a.calls)[0]!,
    members: g.stats,
    shape: g.shape,
    tables: g.tables,
    calls: g.stats.reduce((n, s) => n + s.calls, 0),
    rows: g.stats.reduce((n, s) => n + s.rows, 0),
    totalMs: g.stats.reduce((n, s) => n + s.totalMs, 0),
  }));
}

export type LookupKind = 'children-of-row' | 'parent-of-row';

/** A point lookup: one key column bound to a parameter, about one row (or one aggregate) per call. */
export interface PointLookup {
  readonly statement: MergedStatement;
  readonly table: Table;
  readonly column: string;
  readonly kind: LookupKind;
  /** Tables whose rows would each cause one call: the FK target (children) or the tables pointing here. */
  readonly drivers: readonly Table[];
  readonly aggregate: boolean;
}

export interface PerRowMatch {
  readonly child: PointLookup;
  readonly parent: MergedStatement;
  /** child calls / parent rows: 1 means exactly one lookup per returned row. */
  readonly ratio: number;
  readonly callsPerParentCall: number;
  readonly linkedBy: 'foreign-key' | 'name';
}

function pointLookup(scan: ScanState, m: MergedStatement, o: typeof NPLUS1_DEFAULTS): PointLookup | null {
  const { catalog } = scan;
  const { shape } = m;
  if (shape.kind !== 'select' || m.calls < o.minChildCalls) return null;
  const refs = shape.tables.map((_, i) => m.tables[i]).filter((t): t is Table => t !== undefined);
  const perCall = m.rows / Math.max(m.calls, 1);
  // A key lookup: `= $1`, or `IN ($1)` with one parameter as written (TypeORM's lazy relations).
  const single = singleKeyList(shape, m.representative.query);
  if (refs.length !== 1) {
    // A relation loaded by joining its owner and binding the owner's id (TypeORM's find with a relation filter).
    const joined = lookupKey(catalog, shape, m.tables, single);
    if (!joined?.through || !joined.kind) return null;
    const limit = joined.kind === 'children-of-row' ? o.maxChildrenPerCall : o.maxRowsPerCall;
    if (!shape.aggregate && perCall > limit) return null;
    return { statement: m, table: joined.table, column: joined.column, kind: joined.kind, drivers: [joined.through], aggregate: shape.aggregate };
  }
  const table = refs[0]!;
  const keyed = keyPredicates(shape, single).filter((p) => m.tables[p.tableId!] === table);
  for (const p of keyed) {
    const pk = catalog.primaryKey(table.schema, table.name);
    const unique = catalog.indexesOf(table.schema, table.name).some((i) => i.unique && i.predicate === null && i.keyColumns.length === 1 && i.keyColumns[0] === p.column);
    const fk = catalog.foreignKeysOf(table.schema, table.name).find((c) => c.columns.length === 1 && c.columns[0] === p.column);
    if ((pk && pk.columns.length === 1 && pk.columns[0] === p.column) || unique) {
      // One row per call by a key; more is not a per-row lookup of its parent.
      if (!shape.aggregate && perCall > o.maxRowsPerCall) return null;
      const drivers = [
        ...catalog.referencing(table.schema, table.name).map((c) => catalog.table(c.schema, c.table)),
        ...tablesReferencingByName(catalog, table),
      ].filter((t): t is Table => t !== undefined && t !== table);
      return { statement: m, table, column: p.column, kind: 'parent-of-row', drivers: [...new Set(drivers)], aggregate: shape.aggregate };
    }
    const target = fk?.references ? catalog.table(fk.references.schema, fk.references.table) : tableForKeyColumn(catalog, table, p.column);
    // The children of one row (a lazy has-many: comments of a post) come several per call.
    if (target && target !== table && (shape.aggregate || perCall <= o.maxChildrenPerCall)) return { statement: m, table, column: p.column, kind: 'children-of-row', drivers: [target], aggregate: shape.aggregate };
  }
  return null;
}

/**
 * Per-row lookups explained by a list: a point lookup whose calls match the rows a list statement on its driving
 * table returned (ratio within [minRatio, maxRatio]), with several lookups per list call. Lookups done once per
 * request (login, session, current user) have no such list and are not reported.
 */
export function findPerRowLookups(scan: ScanState, options: Partial<typeof NPLUS1_DEFAULTS> = {}): PerRowMatch[] {
  const o = { ...NPLUS1_DEFAULTS, ...options };
  const merged = mergeByFingerprint(scan.workload);
  const { catalog } = scan;
  const matches: PerRowMatch[] = [];
  for (const m of merged) {
    const child = pointLookup(scan, m, o);
    if (!child) continue;
    let best: PerRowMatch | null = null;
    for (const parent of merged) {
      if (parent === m || parent.shape.kind !== 'select' || parent.rows / Math.max(parent.calls, 1) < o.minParentRowsPerCall) continue;
      const reads = parent.tables.filter((t): t is Table => t !== undefined && child.drivers.includes(t));
      if (reads.length === 0) continue;
      const ratio = child.statement.calls / Math.max(parent.rows, 1);
      const perCall = child.statement.calls / Math.max(parent.calls, 1);
      if (ratio < o.minRatio || ratio > o.maxRatio || perCall < o.minCallsPerParentCall) continue;
      const driver = reads[0]!;
      const linkedByFk =
        child.kind === 'children-of-row'
          ? catalog.foreignKeysOf(child.table.schema, child.table.name).some((c) => c.columns[0] === child.column && c.references?.table === driver.name && c.references.schema === driver.schema)
          : catalog.foreignKeysOf(driver.schema, driver.name).some((c) => c.references?.table === child.table.name && c.references.schema === child.table.schema);
      const candidate: PerRowMatch = { child, parent, ratio, callsPerParentCall: perCall, linkedBy: linkedByFk ? 'foreign-key' : 'name' };
      if (!best || Math.abs(Math.log(ratio)) < Math.abs(Math.log(best.ratio))) best = candidate;
    }
    if (best) matches.push(best);
  }
  return matches;
}
