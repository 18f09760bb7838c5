import type { AdvisorOptions } from '../advisor/options.js';
import { tableKey } from '../derive/catalog.js';
import type { ScanState } from '../derive/scan-state.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { CandidateIndex } from '../model/advisor.js';
import type { SetCoster, Unit } from './choose-set.js';
import { customCall, explainCustom, totalCost } from './explain.js';
import type { OutcomeTracker } from './outcomes.js';
import { representativeValues } from './representative-values.js';
import type { StatsValues } from './representative-values.js';

/**
 * Statements no single candidate cuts under the generic plan are costed again with representative values from
 * pg_stats: a filter whose generic estimate is an average, or a `CASE WHEN $1 …` that a real call folds away, can
 * hide a win the app's calls get. When the custom plans show it, the statement is costed that way from then on.
 */
export async function customPlanCheck(coster: SetCoster, scan: ScanState, planned: readonly WorkloadStatement[], singles: readonly Unit[], tracker: OutcomeTracker, writeMs: (c: CandidateIndex) => number, o: AdvisorOptions, values: StatsValues): Promise<Set<string>> {
  const switched = new Set<string>();
  const byId = new Map(planned.map((s) => [s.stat.queryid, s]));
  for (const t of coster.targets) {
    if (tracker.reached(t.queryid) || t.input.types.length === 0) continue;
    const statement = byId.get(t.queryid)!;
    const vals = await representativeValues(values, statement, t.input, scan.catalog);
    if (!vals) continue;
    const call = customCall(t.input, vals);
    let before: number;
    try {
      before = totalCost(await explainCustom(coster.client, call));
    } catch {
      continue;
    }
    const generic = { before: t.before };
    t.custom = call;
    t.before = before;
    coster.current.set(t.queryid, before);
    coster.forget(t.queryid);
    const relevant = singles.filter((u) => u.members.some((m) => t.tables.has(tableKey(m.schema, m.table))));
    let win = false;
    for (const u of relevant) {
      const v = await coster.value(u, writeMs, o.minCostReduction);
      const after = v.costs.get(t.queryid);
      if (after !== undefined && before > 0 && after <= before * (1 - o.minCostReduction)) win = true;
    }
    if (win) {
      switched.add(t.queryid);
      tracker.rebase(t.queryid);
      for (const u of relevant) tracker.see(u, await coster.value(u, writeMs, o.minCostReduction));
    } else {
      t.custom = null;
      t.before = generic.before;
      coster.current.set(t.queryid, generic.before);
      coster.forget(t.queryid);
    }
  }
  return switched;
}
