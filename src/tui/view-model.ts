import type { ReportFinding, Report } from '../model/report.js';
import { CATEGORIES, SEVERITIES, severityRank } from '../model/severity.js';
import type { Category, Severity } from '../model/severity.js';
import { compareText } from '../model/order.js';

/** What the findings list shows: pure functions of the report and the UI state, tested on their own. */
export type SortOrder = 'severity' | 'time-saved';

export interface ListFilter {
  readonly category: Category | null;
  readonly severity: Severity | null;
  readonly rule: string | null;
  readonly search: string;
}

export const NO_FILTER: ListFilter = { category: null, severity: null, rule: null, search: '' };

/** Database time a finding would save per day (ms), when it says so; 0 otherwise. */
export function timeSaved(f: ReportFinding): number {
  const v = f.evidence.savedMsPerDay ?? f.evidence.childTotalMs ?? f.evidence.filteringTotalMs;
  return typeof v === 'number' ? v : 0;
}

export function visibleFindings(report: Report, filter: ListFilter, sort: SortOrder): ReportFinding[] {
  const needle = filter.search.toLowerCase();
  const list = report.findings.filter(
    (f) =>
      (!filter.category || f.category === filter.category) &&
      (!filter.severity || f.severity === filter.severity) &&
      (!filter.rule || f.rule === filter.rule) &&
      (!needle || `${f.rule} ${f.object.schema}.${f.object.table} ${f.message}`.toLowerCase().includes(needle)),
  );
  return [...list].sort((a, b) => (sort === 'time-saved' ? timeSaved(b) - timeSaved(a) : 0) || severityRank(a.severity) - severityRank(b.severity) || compareText(a.id, b.id));
}

/** The next filter when `f` is pressed: all → each category → each severity → each rule present → all. */
/** The next filter of the cycle (all, each category, each severity, each rule); `step` -1 goes back. */
export function nextFilter(report: Report, current: ListFilter, step: 1 | -1 = 1): ListFilter {
  const rules = [...new Set(report.findings.map((f) => f.rule))].sort();
  const steps: ListFilter[] = [
    { ...NO_FILTER, search: current.search },
    ...CATEGORIES.map((category) => ({ ...NO_FILTER, category, search: current.search })),
    ...SEVERITIES.map((severity) => ({ ...NO_FILTER, severity, search: current.search })),
    ...rules.map((rule) => ({ ...NO_FILTER, rule, search: current.search })),
  ];
  const index = steps.findIndex((s) => s.category === current.category && s.severity === current.severity && s.rule === current.rule);
  return steps[(index + step + steps.length) % steps.length]!;
}

export function describeFilter(filter: ListFilter): string {
  const parts = [filter.category, filter.severity, filter.rule].filter(Boolean) as string[];
  if (filter.search) parts.push(`"${filter.search}"`);
  return parts.length > 0 ? parts.join(' · ') : 'all findings';
}

/** The rows of a list that fit: a window that keeps the cursor visible. */
export function windowAround(total: number, cursor: number, height: number): { start: number; end: number } {
  if (total <= height) return { start: 0, end: total };
  const start = Math.min(Math.max(0, cursor - Math.floor(height / 2)), total - height);
  return { start, end: start + height };
}
