import type { Snapshot, StatementStat, Table } from '../model/snapshot.js';
import { analyzeStatement } from '../sql/analyze.js';
import type { ParsedStatement, StatementShape } from '../sql/shape.js';
import type { StatementRef } from '../model/finding.js';
import { tableKey } from './catalog.js';
import type { Catalog } from './catalog.js';

export interface WorkloadStatement {
  readonly stat: StatementStat;
  readonly parsed: ParsedStatement;
  /** Catalog table for each of the shape's table refs (same index), undefined for unknown tables. */
  readonly tables: readonly (Table | undefined)[];
}

/** The workload, each statement parsed exactly once, with catalog tables resolved. */
export interface WorkloadView {
  readonly statements: readonly WorkloadStatement[];
  readonly parseFailures: number;
  readonly totalMs: number;
  /** Statements that reference the table (any role: read or write). */
  onTable(schema: string, table: string): readonly WorkloadStatement[];
}

/** Parse every statement once and resolve its tables in the catalog (see derive/scan-state.ts for reuse). */
export function buildWorkload(snapshot: Snapshot, catalog: Catalog): WorkloadView {
  const resolver = (schema: string | null, table: string, column: string): boolean => {
    const t = catalog.resolveTable(schema, table);
    return t ? t.columns.some((c) => c.name === column) : false;
  };
  const statements: WorkloadStatement[] = [];
  const byTable = new Map<string, WorkloadStatement[]>();
  let parseFailures = 0;
  let totalMs = 0;
  for (const stat of snapshot.statements) {
    totalMs += stat.totalMs;
    const parsed = analyzeStatement(stat.query, resolver);
    if (!parsed.ok && !stat.withheld) parseFailures++;
    const tables = parsed.ok ? parsed.shape.tables.map((t) => catalog.resolveTable(t.schema, t.name)) : [];
    const entry: WorkloadStatement = { stat, parsed, tables };
    statements.push(entry);
    const seen = new Set<string>();
    for (const t of tables) {
      if (!t) continue;
      const key = tableKey(t.schema, t.name);
      if (seen.has(key)) continue;
      seen.add(key);
      const list = byTable.get(key) ?? [];
      list.push(entry);
      byTable.set(key, list);
    }
  }
  return {
    statements,
    parseFailures,
    totalMs,
    onTable: (schema, table) => byTable.get(tableKey(schema, table)) ?? [],
  };
}

export function statementRef(stat: StatementStat): StatementRef {
  return { queryid: stat.queryid, query: stat.query, calls: stat.calls, totalMs: round(stat.totalMs), meanMs: round(stat.meanMs), rows: stat.rows };
}

export function shapeOf(statement: WorkloadStatement): StatementShape | null {
  return statement.parsed.ok ? statement.parsed.shape : null;
}

export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
