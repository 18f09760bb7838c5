import { ANALYZERS } from '../../analyzers/index.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Config } from '../engine/config.js';
import { EMPTY_CONFIG } from '../engine/config.js';
import type { Report } from '../model/report.js';
import { analyze, worstOf } from '../engine/run.js';
import { renderSarif } from '../render/sarif.js';
import { isSeverity, reaches } from '../model/severity.js';
import type { Severity } from '../model/severity.js';
import { EXIT_FINDINGS, EXIT_OK, UserError } from '../model/user-error.js';
import { ensureParser } from '../sql/parser.js';
import { renderJson } from '../render/json.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderTable } from '../render/table.js';
import { emit } from '../io/output.js';
import type { Content } from '../io/output.js';
import type { ScanState } from '../derive/scan-state.js';
import { toolVersion } from '../io/version.js';
import { displaySafe } from '../render/display-safe.js';

export const FORMATS = ['table', 'json', 'markdown', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export function parseFormat(value: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new UserError(`pgrescue: unknown --format "${value}" (use one of: ${FORMATS.join(', ')})`);
}

export function parseFailOn(value: string): Severity | 'none' {
  if (value === 'none' || isSeverity(value)) return value;
  throw new UserError(`pgrescue: unknown --fail-on "${value}" (use one of: critical, high, medium, low, info, none)`);
}

export function parseRules(values: readonly string[] | undefined): string[] {
  const rules = (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  const known = ANALYZERS.map((a) => a.meta.id);
  const unknown = rules.filter((r) => !known.includes(r));
  if (unknown.length > 0) throw new UserError(`pgrescue: unknown rule ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return rules;
}

export function render(report: Report, format: Format): Content {
  if (format === 'json') return renderJson(report);
  if (format === 'sarif') return renderSarif(report, ANALYZERS.map((a) => a.meta));
  // Human formats print names and texts from the database: escaped so none can drive the terminal.
  // JSON escapes control characters itself.
  if (format === 'markdown') return renderMarkdown(displaySafe(report));
  return renderTable(displaySafe(report), { width: process.stdout.columns });
}

export async function buildReport(source: Snapshot | ScanState, rules: readonly string[], config: Config = EMPTY_CONFIG): Promise<Report> {
  await ensureParser();
  const scan = 'catalog' in source ? source : undefined;
  const snapshot = scan ? scan.snapshot : (source as Snapshot);
  return analyze(snapshot, ANALYZERS, { rules, options: config.options, ignore: config.ignore, config, scan, toolVersion: toolVersion() });
}

/** Write the report and return the exit code for --fail-on. */
export async function outputReport(report: Report, format: Format, out: string | undefined, failOn: Severity | 'none'): Promise<number> {
  await emit(render(report, format), out);
  return exitCode(report, failOn);
}

/**
 * 1 when a counted finding reaches --fail-on, or a statement is over a latency budget; else 0. With a baseline
 * only new findings count: a team gates on what it did not accept yet.
 */
export function exitCode(report: Report, failOn: Severity | 'none'): number {
  const counted = report.baseline ? report.findings.filter((f) => f.baseline !== 'known') : report.findings;
  const worst = worstOf(counted);
  if (failOn !== 'none' && worst !== null && reaches(worst, failOn)) return EXIT_FINDINGS;
  return report.budget && report.budget.over.length > 0 ? EXIT_FINDINGS : EXIT_OK;
}
