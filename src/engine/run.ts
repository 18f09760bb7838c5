import { plural } from '../derive/format.js';
import { platformOwner } from '../scope/platform.js';
import type { Snapshot, Warning } from '../model/snapshot.js';
import type { Analyzer, AnalyzerContext } from './analyzer.js';
import { completeFinding, optionReader } from './analyzer.js';
import type { Config } from './config.js';
import { EMPTY_CONFIG } from './config.js';
import type { Finding } from '../model/finding.js';
import type { Report, ReportFinding, ReportStatement } from '../model/report.js';
import { REPORT_SCHEMA_VERSION } from '../model/report.js';
import { CATEGORIES, SEVERITIES, severityRank } from '../model/severity.js';
import type { Category, Severity } from '../model/severity.js';
import { inferOwnership } from '../scope/ownership.js';
import { fixFirst } from '../derive/fix-plan.js';
import { round } from '../derive/workload.js';
import { deriveScan } from '../derive/scan-state.js';
import type { ScanState } from '../derive/scan-state.js';
import { compareText } from '../model/order.js';

export interface RunOptions {
  /** Only these rule ids; empty = all. */
  readonly rules?: readonly string[];
  readonly options?: Readonly<Record<string, number | string | boolean>>;
  readonly now?: Date;
  /** How many top statements (by total time) the report lists. */
  readonly topStatements?: number;
  /** Finding ids or rule ids to leave out of the report. */
  readonly ignore?: readonly string[];
  /** Ownership overrides, public tables and the app role, from the config file. */
  readonly config?: Config;
  /** The version the report names (the pipeline reads it from package.json; analyze itself does no I/O). */
  readonly toolVersion?: string;
  /** Also report findings on objects a platform or a migration tool manages (src/scope/platform.ts). */
  readonly includePlatform?: boolean;
  /** The scan's derived state from an earlier step (the advisor), reused when it still fits the snapshot. */
  readonly scan?: ScanState;
}

/** Run the analyzers over a snapshot and assemble the report. Pure: no I/O. */
export function analyze(snapshot: Snapshot, analyzers: readonly Analyzer[], run: RunOptions = {}): Report {
  const scan = deriveScan(snapshot, run.scan);
  const { workload } = scan;
  const config = run.config ?? EMPTY_CONFIG;
  const ownership = inferOwnership(scan, config);
  const options = run.options ?? run.config?.options ?? {};
  const base = { snapshot, scan, catalog: scan.catalog, workload, ownership, options, now: run.now ?? new Date(), config };
  const warnings: Warning[] = [...snapshot.warnings];
  const findings: Finding[] = [];
  const selected = run.rules && run.rules.length > 0 ? analyzers.filter((a) => run.rules!.includes(a.meta.id)) : analyzers;
  for (const analyzer of selected) {
    if (analyzer.meta.requires.includes('statements') && !snapshot.capabilities.pgStatStatements) continue;
    if (analyzer.meta.requires.includes('columnStats') && !snapshot.capabilities.pgStatsReadable) {
      warnings.push({ code: 'rule-needs-column-statistics', message: `rule ${analyzer.meta.id} was skipped: it needs the planner statistics (pg_stats), which this role cannot read for the tables. GRANT pg_read_all_data TO <pgrescue role>; (PostgreSQL 14+)` });
      continue;
    }
    const ctx: AnalyzerContext = { ...base, option: optionReader(analyzer.meta, options) };
    try {
      findings.push(...analyzer.detect(ctx).map((draft) => completeFinding(analyzer.meta, draft)));
    } catch (error) {
      warnings.push({ code: 'analyzer-failed', message: `rule ${analyzer.meta.id} failed and was skipped: ${(error as Error).message}` });
    }
  }
  if (workload.parseFailures > 0) {
    warnings.push({
      code: 'statements-unparsed',
      message: `${workload.parseFailures} of ${workload.statements.length} statements could not be parsed (truncated text or utility commands) and were skipped`,
    });
  }
  if (!(run.includePlatform ?? config.includePlatform)) {
    const byOwner = new Map<string, number>();
    const kept = findings.filter((f) => {
      const owner = platformOwner(f.object.schema, f.object.table);
      if (owner) byOwner.set(owner, (byOwner.get(owner) ?? 0) + 1);
      return owner === null;
    });
    if (kept.length < findings.length) {
      warnings.push({
        code: 'platform-findings-left-out',
        message: `${plural(findings.length - kept.length, 'finding')} on objects you do not manage were left out (${[...byOwner].map(([o, n]) => `${n} of ${o}`).join(', ')}): --include-platform shows them`,
      });
      findings.length = 0;
      findings.push(...kept);
    }
  }
  const ignored = new Set(run.ignore ?? []);
  if (ignored.size > 0) {
    const kept = findings.filter((f) => !ignored.has(f.id) && !ignored.has(f.rule));
    const dropped = findings.length - kept.length;
    findings.length = 0;
    findings.push(...kept);
    if (dropped > 0) warnings.push({ code: 'findings-ignored', message: `${plural(dropped, 'finding')} left out by the ignore list of the config file` });
  }
  findings.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || compareText(a.rule, b.rule) || compareText(a.id, b.id));
  const reportFindings = findings.map(toReportFinding);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'pgrescue', version: run.toolVersion ?? '0.0.0' },
    generatedAt: (run.now ?? new Date()).toISOString(),
    database: {
      name: snapshot.database.name,
      serverVersion: snapshot.database.serverVersion,
      serverVersionNum: snapshot.database.serverVersionNum,
      // Always present (null when the server does not say): the contract does not change shape by version.
      statsResetAt: snapshot.database.statsResetAt ?? null,
      statementsResetAt: snapshot.database.statementsResetAt ?? null,
    },
    capabilities: snapshot.capabilities,
    warnings,
    summary: {
      bySeverity: countBy(SEVERITIES, findings.map((f) => f.severity)) as Record<Severity, number>,
      byCategory: countBy(CATEGORIES, findings.map((f) => f.category)) as Record<Category, number>,
      statementsAnalyzed: workload.statements.length,
      statementsUnparsed: workload.parseFailures,
    },
    statements: topStatements(snapshot, run.topStatements ?? 20),
    ...(snapshot.advisor ? { indexAdvisor: { engine: snapshot.advisor.engine, window: snapshot.advisor.window ?? null } } : {}),
    findings: reportFindings,
    fixFirst: fixFirst(reportFindings, snapshot.statements.reduce((sum, s) => sum + s.totalMs, 0)),
    ownership: [...ownership.values()]
      .filter((o) => !o.public && (o.ownerColumns.length > 0 || o.paths.length > 0))
      .map((o) => ({
        table: `${o.schema}.${o.table}`,
        ownerColumns: o.ownerColumns.map((c) => `${c.column} (${c.kind}: ${c.source})`),
        path: o.paths[0] ? [o.paths[0].column, ...o.paths[0].through, o.paths[0].ownerColumn] : [],
        sensitive: o.sensitive,
      })),
  };
}

function toReportFinding(finding: Finding): ReportFinding {
  const { migrations, ...rest } = finding;
  if (!migrations || migrations.length === 0) return rest;
  return { ...rest, migration: migrations[0], migrations };
}

function countBy(keys: readonly string[], values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of keys) out[k] = 0;
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

function topStatements(snapshot: Snapshot, limit: number): ReportStatement[] {
  const advice = new Map((snapshot.advisor?.statements ?? []).map((a) => [a.queryid, a]));
  return [...snapshot.statements]
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, limit)
    .map((s) => {
      const a = advice.get(s.queryid);
      return { queryid: s.queryid, query: s.query, calls: s.calls, totalMs: round(s.totalMs), meanMs: round(s.meanMs), p95EstimateMs: round(s.p95EstimateMs), rows: s.rows, ...(a ? { indexAdvice: { outcome: a.outcome, reason: a.reason } } : {}) };
    });
}

/** The most severe finding, for --fail-on. */
export function worstSeverity(report: Report): Severity | null {
  return worstOf(report.findings);
}

export function worstOf(findings: readonly { readonly severity: Severity }[]): Severity | null {
  let worst: Severity | null = null;
  for (const f of findings) if (worst === null || severityRank(f.severity) < severityRank(worst)) worst = f.severity;
  return worst;
}
