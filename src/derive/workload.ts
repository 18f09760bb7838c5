import type { Snapshot, StatementStat, Table } from '../model/snapshot.js';
import { analyzeStatement } from '../sql/analyze.js';
import { repairNormalized } from '../sql/repair-normalized.js';
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
  const builder = new WorkloadBuilder(catalog);
  for (const stat of snapshot.statements) builder.add(stat);
  return builder.view();
}

/**
 * The same workload, parsed in slices that yield to the event loop: it is built while the data checks run on the
 * server. A slice is shorter than one table's checks (1–3 ms of server time), so a reader whose reply came in
 * waits at most one slice to send its next query: with 8 ms slices the readers sat idle behind the parse and the
 * 2,000-table scan took 3.0–3.1 s; with 1 ms slices 2.8–2.9 s (bench/scan-scale.ts, 2026-12-06).
 */
export async function buildWorkloadInSlices(snapshot: Snapshot, catalog: Catalog, sliceMs = 1): Promise<WorkloadView> {
  const builder = new WorkloadBuilder(catalog);
  let sliceStart = performance.now();
  for (const stat of snapshot.statements) {
    builder.add(stat);
    if (performance.now() - sliceStart >= sliceMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = performance.now();
    }
  }
  return builder.view();
}

class WorkloadBuilder {
  private readonly statements: WorkloadStatement[] = [];
  private readonly byTable = new Map<string, WorkloadStatement[]>();
  private parseFailures = 0;
  private totalMs = 0;
  private readonly resolver: (schema: string | null, table: string, column: string) => boolean;

  constructor(private readonly catalog: Catalog) {
    this.resolver = (schema, table, column) => {
      const t = catalog.resolveTable(schema, table);
      return t ? catalog.column(t, column) !== undefined : false;
    };
  }

  add(stat: StatementStat): void {
    this.totalMs += stat.totalMs;
    let parsed = analyzeStatement(stat.query, this.resolver);
    // A text pg_stat_statements' normalization made unparsable (EXTRACT($1 FROM …), INTERVAL $2): read its repaired form.
    if (!parsed.ok && parsed.reason === 'parse-error') {
      const repaired = repairNormalized(stat.query);
      if (repaired.repairs.length > 0) {
        const again = analyzeStatement(repaired.text, this.resolver);
        if (again.ok) parsed = again;
      }
    }
    if (!parsed.ok && !stat.withheld) this.parseFailures++;
    const tables = parsed.ok ? parsed.shape.tables.map((t) => this.catalog.resolveTable(t.schema, t.name)) : [];
    const entry: WorkloadStatement = { stat, parsed, tables };
    this.statements.push(entry);
    const seen = new Set<string>();
    for (const t of tables) {
      if (!t) continue;
      const key = tableKey(t.schema, t.name);
      if (seen.has(key)) continue;
      seen.add(key);
      const list = this.byTable.get(key) ?? [];
      list.push(entry);
      this.byTable.set(key, list);
    }
  }

  view(): WorkloadView {
    const byTable = this.byTable;
    return {
      statements: this.statements,
      parseFailures: this.parseFailures,
      totalMs: this.totalMs,
      onTable: (schema, table) => byTable.get(tableKey(schema, table)) ?? [],
    };
  }
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
