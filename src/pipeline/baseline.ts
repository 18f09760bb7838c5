import { readJsonFile } from '../io/json-file.js';
import type { Baseline, BaselineEntry } from '../model/baseline.js';
import { BASELINE_VERSION } from '../model/baseline.js';
import type { Report } from '../model/report.js';
import { isSeverity } from '../model/severity.js';
import { UserError } from '../model/user-error.js';
import { writeFileAtomic } from '../io/output.js';
import { safeJsonChunks } from '../render/safe-json.js';
import { compareText } from '../model/order.js';

/** Read a baseline written by `scan --update-baseline`; a missing or malformed file is a one-line error. */
export async function readBaseline(path: string): Promise<Baseline> {
  const data = await readJsonFile(path, 'baseline', ' (record one with: pgrescue scan … --baseline FILE --update-baseline)');
  const b = data as Partial<Baseline> | null;
  if (!b || typeof b !== 'object' || b.baselineVersion !== BASELINE_VERSION || !Array.isArray(b.findings)) {
    throw new UserError(`pgrescue: ${path} is not a pgrescue baseline (version ${BASELINE_VERSION}); record one with --update-baseline`);
  }
  const entries = b.findings.filter((f): f is BaselineEntry => typeof f?.id === 'string' && typeof f.rule === 'string' && isSeverity(String(f.severity)));
  if (entries.length !== b.findings.length) throw new UserError(`pgrescue: ${path}: every finding needs an id, a rule and a severity`);
  return { baselineVersion: BASELINE_VERSION, tool: b.tool ?? { name: 'pgrescue', version: 'unknown' }, recordedAt: String(b.recordedAt ?? ''), findings: entries };
}

/** Record the report's findings as the baseline (atomically), sorted by id so the file diffs cleanly. */
export async function writeBaseline(path: string, report: Report): Promise<void> {
  const baseline: Baseline = {
    baselineVersion: BASELINE_VERSION,
    tool: report.tool,
    recordedAt: report.generatedAt,
    findings: report.findings.map((f) => ({ id: f.id, rule: f.rule, severity: f.severity })).sort((a, b) => compareText(a.id, b.id)),
  };
  await writeFileAtomic(path, safeJsonChunks(baseline, ['findings']));
}

/** Mark each finding new or known against the baseline, and list the baseline's findings that are gone. */
export function compareWithBaseline(report: Report, baseline: Baseline, file: string): Report {
  const known = new Set(baseline.findings.map((f) => f.id));
  const present = new Set(report.findings.map((f) => f.id));
  const findings = report.findings.map((f) => ({ ...f, baseline: known.has(f.id) ? ('known' as const) : ('new' as const) }));
  const newCount = findings.filter((f) => f.baseline === 'new').length;
  return {
    ...report,
    findings,
    baseline: {
      file,
      recordedAt: baseline.recordedAt,
      new: newCount,
      known: findings.length - newCount,
      fixed: baseline.findings.filter((f) => !present.has(f.id)).map((f) => f.id),
    },
  };
}
