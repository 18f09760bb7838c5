import { RISKS } from '../model/finding.js';
import type { Migration } from '../model/finding.js';
import { gateLines } from './gate.js';
import { planLines } from './fix-first.js';
import Table from 'cli-table3';
import type { Report } from '../model/report.js';
import { SEVERITIES } from '../model/severity.js';
import { describeObject, formatMs, oneLine, plural } from '../derive/format.js';

export interface TableOptions {
  /** Terminal width to fit; defaults to 120. */
  readonly width?: number;
}

/** " [fix: 2 safe, 1 decision]": what `pgrescue migrate` would write for the finding, by risk. */
function fixLabel(migrations: readonly Migration[]): string {
  if (migrations.length === 0) return '';
  const counts = RISKS.map((r) => [r, migrations.filter((m) => (m.risk ?? 'review') === r).length] as const).filter(([, n]) => n > 0);
  return ` [fix: ${counts.map(([r, n]) => `${n} ${r}`).join(', ')}]`;
}

/** Wide terminals: severity, rule, object and message side by side. */
const WIDE = [10, 24, 34] as const;
/** Narrower: severity, rule and object stacked in one column beside the message. */
const NARROW_LEFT = 28;

/**
 * The findings, fitted to the terminal: a table is exactly `width` columns (cell widths plus one border column each
 * and one more), messages wrap at word boundaries and are never truncated.
 */
function findingsTable(report: Report, width: number): string {
  const wide = width >= 110;
  const message = wide ? width - WIDE.reduce((a, b) => a + b, 0) - 5 : width - NARROW_LEFT - 3;
  const table = new Table({
    head: wide ? ['severity', 'rule', 'object', 'message'] : ['finding', 'message'],
    colWidths: wide ? [...WIDE, message] : [NARROW_LEFT, message],
    wordWrap: true,
    style: { head: [], border: [] },
  });
  for (const f of report.findings) {
    const severity = f.baseline === 'new' ? `${f.severity} (new)` : f.severity;
    const text = `${f.message}${fixLabel(f.migrations ?? [])}`;
    table.push(wide ? [severity, f.rule, describeObject(f.object), text] : [`${severity}\n${f.rule}\n${describeObject(f.object)}`, text]);
  }
  return table.toString();
}

/** The human report for a terminal: summary, warnings, findings (one line each), top statements. */
export function renderTable(report: Report, options: TableOptions = {}): string {
  const width = Math.max(60, options.width ?? 120);
  const out: string[] = [];
  const db = report.database;
  out.push(`pgrescue ${report.tool.version} — database "${db.name}" on PostgreSQL ${db.serverVersion}`);
  const counts = SEVERITIES.map((s) => `${report.summary.bySeverity[s]} ${s}`).join(', ');
  out.push(`${plural(report.findings.length, 'finding')}: ${counts}. ${report.summary.statementsAnalyzed} statements analyzed.`);
  out.push(...gateLines(report));
  if (report.warnings.length > 0) {
    out.push('');
    out.push('Warnings:');
    for (const w of report.warnings) out.push(`  ! ${w.message}`);
  }
  if (report.findings.length > 0) {
    out.push('');
    out.push(...planLines(report, width));
    out.push('');
    out.push(findingsTable(report, width));
  }
  if (report.statements.length > 0) {
    const table = new Table({
      head: ['total', 'calls', 'mean', 'p95 (est.)', 'statement'],
      colWidths: [11, 9, 10, 12, Math.max(30, width - 11 - 9 - 10 - 12 - 7)],
      style: { head: [], border: [] },
    });
    for (const s of report.statements.slice(0, 10)) {
      table.push([formatMs(s.totalMs), String(s.calls), formatMs(s.meanMs), formatMs(s.p95EstimateMs), oneLine(s.query, Math.max(30, width - 55))]);
    }
    out.push('');
    out.push('Top statements by total time (p95 is estimated from mean and stddev):');
    out.push(table.toString());
  }
  return `${out.join('\n')}\n`;
}
