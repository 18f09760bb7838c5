import { describeObject, plural } from '../derive/format.js';
import type { FixItem, Report } from '../model/report.js';

/** How many causes the plan lists before pointing at the full findings list. */
export const PLAN_LIMIT = 10;

export function shareText(share: number): string {
  if (share <= 0) return 'no measured DB time';
  return share < 0.001 ? '<0.1% of DB time' : `${(share * 100).toFixed(1)}% of DB time`;
}

/** One line per cause: where, how much of the database's time, which rules see it, how severe, how safe the fix. */
export function planItemText(item: FixItem): string {
  const fix = item.risk === 'none' ? 'fix in the app' : `fix: ${item.risk}`;
  return `${item.rank}. ${describeObject(item.object)} — ${shareText(item.dbTimeShare)} · ${item.rules.join(' + ')} · ${item.severity} · ${fix}`;
}

/** The command that comes next, from what the plan holds. */
export function nextCommand(report: Report): string {
  // Two findings asking for the same index share one step, as migrate writes it once.
  const steps = [...new Map(report.findings.flatMap((f) => f.migrations ?? []).map((m) => [m.name, m])).values()];
  const safe = steps.filter((m) => m.risk === 'safe').length;
  const other = steps.length - safe;
  if (steps.length === 0) return 'Next: the fixes are in the app (see each finding\'s remediation); scan again after them.';
  return `Next: pgrescue migrate (same connection flags) writes ${plural(safe, 'safe step')} in your migration tool's layout${other > 0 ? `; --include review,decision adds ${plural(other, 'more step')}` : ''}.`;
}

/** Break text into lines of at most `width` characters at spaces (a longer word stands alone). */
export function wrap(text: string, width: number, indent = ''): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent + word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The fix-first plan as plain lines fitted to `width`: the causes, most DB time first, then the next command. */
export function planLines(report: Report, width: number): string[] {
  if (report.fixFirst.length === 0) return [];
  const lines = wrap(`Fix first (${plural(report.fixFirst.length, 'cause')} behind ${plural(report.findings.length, 'finding')}, most database time first):`, width);
  for (const item of report.fixFirst.slice(0, PLAN_LIMIT)) lines.push(...wrap(`  ${planItemText(item)}`, width, '     '));
  if (report.fixFirst.length > PLAN_LIMIT) lines.push(...wrap(`  … ${plural(report.fixFirst.length - PLAN_LIMIT, 'more cause')}: every finding is listed below.`, width, '  '));
  lines.push(...wrap(nextCommand(report), width, '  '));
  return lines;
}
