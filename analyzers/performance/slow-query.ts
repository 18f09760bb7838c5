import { statementFingerprint } from '../../src/sql/fingerprint.js';
import type { PlanNote } from '../../src/model/advisor.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { round, shapeOf, statementRef } from '../../src/derive/workload.js';
import { formatMs } from '../../src/derive/format.js';
import { missingIndexId } from './missing-index.js';

/** Documented defaults (docs/rules/slow-query.md). */
export const SLOW_QUERY_DEFAULTS = { p95BudgetMs: 500, listBudgetMs: 300, meanBudgetMs: 100, minCalls: 100 };

function describeNote(n: PlanNote): string {
  switch (n.kind) {
    case 'seq-scan':
      return `a sequential scan of ${n.relation ?? 'a table'} (~${n.rows} rows)`;
    case 'sort':
      return `a sort of ~${n.rows} rows`;
    case 'nested-loop':
      return `a nested loop producing ~${n.rows} rows`;
    case 'hash-join':
      return `a hash join of ~${n.rows} rows`;
    default:
      return `an aggregate over ~${n.rows} rows`;
  }
}

export default defineAnalyzer(
  {
    id: 'slow-query',
    title: 'Slow statement',
    category: 'performance',
    defaultSeverity: 'medium',
    requires: ['statements'],
    fixable: false,
    description: 'A statement over its latency budget (estimated p95 above 500 ms, 300 ms for member-facing lists, or mean above 100 ms over many calls), linked to its fix or its cause.',
    options: {
      p95BudgetMs: { default: SLOW_QUERY_DEFAULTS.p95BudgetMs, description: 'estimated p95 above this is slow' },
      listBudgetMs: { default: SLOW_QUERY_DEFAULTS.listBudgetMs, description: 'estimated p95 above this is slow for member-facing lists' },
      meanBudgetMs: { default: SLOW_QUERY_DEFAULTS.meanBudgetMs, description: 'mean above this is slow when the statement runs often' },
      minCalls: { default: SLOW_QUERY_DEFAULTS.minCalls, description: 'how often a statement must run for the mean budget to apply' },
    },
  },
  ({ snapshot, workload, option }) => {
    const p95Budget = option('p95BudgetMs');
    const listBudget = option('listBudgetMs');
    const meanBudget = option('meanBudgetMs');
    const minCalls = option('minCalls');
    const advice = new Map((snapshot.advisor?.statements ?? []).map((a) => [a.queryid, a]));
    const findings: FindingDraft[] = [];
    for (const s of workload.statements) {
      const stat = s.stat;
      const shape = shapeOf(s);
      const isList = shape?.kind === 'select' && (shape.limit || shape.orderBy.length > 0) && stat.rows / Math.max(stat.calls, 1) > 1;
      const budget = isList ? listBudget : p95Budget;
      const overP95 = stat.p95EstimateMs > budget;
      const overMean = stat.meanMs > meanBudget && stat.calls >= minCalls;
      if (!overP95 && !overMean) continue;
      const fix = snapshot.advisor?.chosen.find((c) => c.statements.some((x) => x.queryid === stat.queryid));
      const a = advice.get(stat.queryid);
      const cause = a?.plan[0] ? describeNote(a.plan[0]) : null;
      let why: string;
      if (fix) why = `Fixed by ${missingIndexId(fix.candidate)}.`;
      else if (a) why = `No index is suggested: ${a.reason}.${cause ? ` Its plan is dominated by ${cause}.` : ''}`;
      else why = 'It was not planned (below the advisor floors).';
      const severity: Severity = stat.p95EstimateMs > 2 * budget || stat.meanMs > 1000 ? 'high' : 'medium';
      findings.push({
        key: s.parsed.ok ? s.parsed.identity : statementFingerprint(stat.query),
        severity,
        message: `${overP95 ? `Estimated p95 ${formatMs(stat.p95EstimateMs)} is over the ${isList ? 'member-facing list ' : ''}budget of ${formatMs(budget)}` : `Mean ${formatMs(stat.meanMs)} over ${stat.calls} calls is over ${formatMs(meanBudget)}`}. ${why}`,
        object: { schema: s.tables.find(Boolean)?.schema ?? 'public', table: s.tables.find(Boolean)?.name ?? '?' },
        statements: [statementRef(stat)],
        evidence: {
          p95EstimateMs: round(stat.p95EstimateMs, 1),
          p95IsEstimate: true,
          meanMs: round(stat.meanMs, 2),
          calls: stat.calls,
          budgetMs: budget,
          listQuery: Boolean(isList),
          fixedBy: fix ? missingIndexId(fix.candidate) : null,
          advisorOutcome: a?.outcome ?? null,
          advisorReason: a?.reason ?? null,
          planCause: cause,
        },
        remediation: fix ? `Apply the ${missingIndexId(fix.candidate)} migration.` : cause ? `Rewrite or restrict it: the plan spends its time in ${cause}.` : 'EXPLAIN (ANALYZE, BUFFERS) it with real parameters to see where the time goes.',
      });
    }
    return findings;
  },
);
