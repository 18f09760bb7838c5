import type { Risk } from '../model/finding.js';
import type { FixItem, ReportFinding } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { SEVERITIES } from '../model/severity.js';
import { compareText } from '../model/order.js';

/**
 * Rules that describe one slow lookup from different sides: the N+1 loop that runs it, the index it needs and the
 * foreign key left without one. On the same table and leading column they are one root cause.
 */
const LOOKUP_RULES = new Set(['n-plus-one', 'missing-index', 'unindexed-foreign-key', 'slow-query']);

const RISK_ORDER: readonly (Risk | 'none')[] = ['safe', 'review', 'decision', 'none'];

function rootKey(f: ReportFinding): string {
  const lead = f.object.columns?.[0];
  if (LOOKUP_RULES.has(f.rule) && lead !== undefined) return `lookup\u0000${f.object.schema}\u0000${f.object.table}\u0000${lead}`;
  return `finding\u0000${f.id}`;
}

/** The hardest step of the fix decides: safe only when every step is safe; none when there is no migration. */
function riskOf(findings: readonly ReportFinding[]): Risk | 'none' {
  let worst = -1;
  for (const f of findings) for (const m of f.migrations ?? []) worst = Math.max(worst, RISK_ORDER.indexOf(m.risk ?? 'review'));
  return worst < 0 ? 'none' : RISK_ORDER[worst]!;
}

/** The most severe severity in the group. */
function severityOf(findings: readonly ReportFinding[]): Severity {
  let best = SEVERITIES.length - 1;
  for (const f of findings) {
    const rank = SEVERITIES.indexOf(f.severity);
    if (rank >= 0) best = Math.min(best, rank);
  }
  return SEVERITIES[best]!;
}

/** DB time of the statements the group names, each statement counted once. */
function dbTimeOf(findings: readonly ReportFinding[]): number {
  const statements = new Map<string, number>();
  for (const f of findings) for (const s of f.statements ?? []) statements.set(s.queryid, s.totalMs);
  let sum = 0;
  for (const ms of statements.values()) sum += ms;
  return sum;
}

/**
 * Findings grouped by root cause and ranked by impact: the share of the database's time spent in the statements
 * the group names (each statement counted once), then severity, then how safe the fix is. What a founder should
 * do first is the first item.
 */
export function fixFirst(findings: readonly ReportFinding[], totalDbMs: number): FixItem[] {
  const groups = new Map<string, ReportFinding[]>();
  for (const f of findings) {
    const key = rootKey(f);
    const group = groups.get(key);
    if (group) group.push(f);
    else groups.set(key, [f]);
  }
  const items = [...groups.values()].map((group) => {
    const lead = group[0]!;
    const dbMs = dbTimeOf(group);
    return {
      findings: group.map((f) => f.id),
      rules: group.length === 1 ? [lead.rule] : [...new Set(group.map((f) => f.rule))],
      object: { schema: lead.object.schema, table: lead.object.table, ...(lead.object.columns && LOOKUP_RULES.has(lead.rule) ? { columns: lead.object.columns.slice(0, 1) } : lead.object.columns ? { columns: lead.object.columns } : {}) },
      title: group.length === 1 ? lead.title : `${lead.title} (${group.length} findings, one cause)`,
      severity: severityOf(group),
      risk: riskOf(group),
      dbTimeShare: totalDbMs > 0 ? Math.round((dbMs / totalDbMs) * 1000) / 1000 : 0,
    };
  });
  const rank = (s: Severity): number => SEVERITIES.indexOf(s);
  items.sort((a, b) => b.dbTimeShare - a.dbTimeShare || rank(a.severity) - rank(b.severity) || RISK_ORDER.indexOf(a.risk) - RISK_ORDER.indexOf(b.risk) || compareText(a.findings[0]!, b.findings[0]!));
  return items.map((item, i) => ({ rank: i + 1, ...item }));
}
