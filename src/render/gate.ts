import type { Report } from '../model/report.js';
import { formatMs, plural } from '../derive/format.js';

/** The CI gate in words: the baseline comparison and the latency budgets, for the human reports. */
export function gateLines(report: Report): string[] {
  const lines: string[] = [];
  const b = report.baseline;
  if (b) {
    lines.push(`Baseline ${b.file} (recorded ${b.recordedAt || 'at an unknown time'}): ${b.new} new, ${b.known} known, ${b.fixed.length} fixed${b.fixed.length > 0 ? ` (${b.fixed.slice(0, 5).join(', ')}${b.fixed.length > 5 ? ', …' : ''})` : ''}. --fail-on counts new findings only.`);
  }
  const budget = report.budget;
  if (budget) {
    const limits = [
      budget.p95Ms !== undefined ? `p95 ${formatMs(budget.p95Ms)}` : null,
      budget.listMs !== undefined ? `lists ${formatMs(budget.listMs)}` : null,
      budget.meanMs !== undefined ? `mean ${formatMs(budget.meanMs)}` : null,
    ].filter(Boolean);
    lines.push(`Budget ${limits.join(', ')}: ${budget.over.length === 0 ? 'every statement is within it.' : `${plural(budget.over.length, 'statement')} over it (exit 1).`}`);
  }
  return lines;
}
