import { plural } from '../derive/format.js';
import type { CandidateSet } from '../advisor/candidates.js';
import type { ScanState } from '../derive/scan-state.js';
import type { SafeClient } from '../db/session.js';
import type { PlanNote, StatementAdvice } from '../model/advisor.js';
import type { Warning } from '../model/snapshot.js';
import type { WorkloadStatement } from '../derive/workload.js';
import { calledFunctions } from '../sql/normalize.js';
import { quoteIdent } from '../sql/quote.js';
import { totalCost } from './explain.js';
import type { PlanInput } from './explain.js';
import { planPlannable } from './plannable.js';
import { indexesUsed, planNotes } from './plan-notes.js';

export interface Baseline {
  /** The form the planner accepted (repaired, typed): every later costing uses it. */
  readonly input: PlanInput;
  readonly repairs: readonly string[];
  readonly cost: number;
  readonly notes: readonly PlanNote[];
  readonly uses: readonly string[];
}

export interface BaselinePlans {
  readonly baselines: ReadonlyMap<string, Baseline>;
  /** Considered statements that have a baseline: the ones candidates are costed against. */
  readonly planned: readonly WorkloadStatement[];
  /** Advice for statements that could not or would not be planned, and for the skipped ones. */
  readonly unplanned: readonly StatementAdvice[];
  readonly warnings: readonly Warning[];
}

/**
 * Phase 1 of the what-if advisor: the generic plan of every considered statement, before any index. Statements no
 * index can help still get their plan read (slow-query names the cause from it). A statement that calls a
 * user-defined IMMUTABLE or STABLE function is never planned: planning folds or evaluates such calls, which
 * would run that code as pgrescue's role.
 */
export async function planBaselines(client: SafeClient, scan: ScanState, set: CandidateSet): Promise<BaselinePlans> {
  const { snapshot, workload } = scan;
  // A qualified call matches its schema; an unqualified one any schema (search_path is the app's, not ours).
  const byName = new Map<string, string[]>();
  for (const f of snapshot.userFunctions ?? []) byName.set(f.name, [...(byName.get(f.name) ?? []), f.schema]);
  const unsafeCall = (query: string): string | undefined => {
    for (const call of calledFunctions(query)) {
      const schema = (byName.get(call.name) ?? []).find((s) => call.schema === null || call.schema === s);
      if (schema !== undefined) return `${schema}.${call.name}`;
    }
    return undefined;
  };
  const baselines = new Map<string, Baseline>();
  const unplanned: StatementAdvice[] = [];
  const notPlanned: string[] = [];
  const denied: string[] = [];
  for (const s of set.considered) {
    const fn = unsafeCall(s.stat.query);
    if (fn) {
      notPlanned.push(fn);
      unplanned.push({ queryid: s.stat.queryid, outcome: 'unplannable', reason: `not planned: it calls ${fn}, a user-defined function the planner could run as pgrescue's role`, costBefore: null, costAfter: null, plan: [] });
      continue;
    }
    try {
      const { input, plan, repairs } = await planPlannable(client, s, scan.catalog);
      baselines.set(s.stat.queryid, { input, repairs, cost: totalCost(plan), notes: planNotes(plan), uses: indexesUsed(plan) });
    } catch (error) {
      if ((error as { code?: string }).code === '42501') denied.push((error as Error).message);
      unplanned.push({ queryid: s.stat.queryid, outcome: 'unplannable', reason: `the planner rejected it even after repairing pg_stat_statements' normalization: ${(error as Error).message}`, costBefore: null, costAfter: null, plan: [] });
    }
  }
  const byId = new Map(workload.statements.map((w) => [w.stat.queryid, w]));
  for (const advice of set.skipped) {
    const w = byId.get(advice.queryid);
    if (!w || (advice.outcome !== 'no-usable-predicate' && advice.outcome !== 'tiny-tables') || unsafeCall(w.stat.query)) {
      unplanned.push(advice);
      continue;
    }
    try {
      const { plan } = await planPlannable(client, w, scan.catalog);
      unplanned.push({ ...advice, costBefore: totalCost(plan), costAfter: totalCost(plan), plan: planNotes(plan) });
    } catch {
      unplanned.push(advice);
    }
  }
  const warnings: Warning[] = [];
  if (notPlanned.length > 0) {
    warnings.push({
      code: 'advisor-skipped-user-functions',
      message: `${plural(notPlanned.length, 'statement')} call user-defined IMMUTABLE/STABLE functions (${[...new Set(notPlanned)].slice(0, 3).join(', ')}) and were not planned: planning may run such a function as the scanning role. Index advice for them is missing.`,
    });
  }
  if (denied.length > 0) {
    // EXPLAIN needs SELECT on every table a statement reads: without it missing-index would silently shrink.
    const role = quoteIdent(snapshot.database.currentUser);
    warnings.push({
      code: 'explain-permission-denied',
      message: `${plural(denied.length, 'statement')} could not be planned (${denied[0]}): their index advice is missing. Run: GRANT pg_read_all_data TO ${role}; (PostgreSQL 14+) or GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO ${role};`,
    });
  }
  return { baselines, planned: set.considered.filter((s) => baselines.has(s.stat.queryid)), unplanned, warnings };
}
