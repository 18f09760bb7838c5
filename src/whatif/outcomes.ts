import type { CandidateSet } from '../advisor/candidates.js';
import { formatMs } from '../derive/format.js';
import { round } from '../derive/workload.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { OutcomeDetail, StatementAdvice } from '../model/advisor.js';
import type { Baseline } from './baseline-plans.js';
import type { Target, Unit, UnitValue } from './choose-set.js';

interface Reach {
  readonly unit: Unit;
  readonly cost: number;
  readonly value: UnitValue;
}

/**
 * Remembers, per statement, what the candidates did to it while the set was chosen: the best cost any of them
 * reached, and the best-paying unit that reached the threshold. From that, an honest outcome with its reason:
 * improved, rejected (and why: writes, too small a saving, a combination), below the threshold, already optimal.
 */
export class OutcomeTracker {
  private readonly targets: Map<string, Target>;
  private readonly firstCost = new Map<string, Map<string, number>>();
  private readonly best = new Map<string, number>();
  private readonly reach = new Map<string, Reach>();

  constructor(targets: readonly Target[], private readonly minCostReduction: number) {
    this.targets = new Map(targets.map((t) => [t.queryid, t]));
  }

  see(unit: Unit, value: UnitValue): void {
    let first = this.firstCost.get(unit.key);
    if (!first) this.firstCost.set(unit.key, (first = new Map()));
    for (const [q, cost] of value.costs) {
      const t = this.targets.get(q);
      if (!t) continue;
      if (!first.has(q)) first.set(q, cost);
      this.best.set(q, Math.min(this.best.get(q) ?? Infinity, cost));
      if (t.before > 0 && cost <= t.before * (1 - this.minCostReduction)) {
        const seen = this.reach.get(q);
        if (!seen || value.net > seen.value.net) this.reach.set(q, { unit, cost, value });
      }
    }
  }

  /** The statement's cost with one unit alone, as first costed. */
  costOf(unitKey: string, queryid: string): number | undefined {
    return this.firstCost.get(unitKey)?.get(queryid);
  }

  reached(queryid: string): boolean {
    return this.reach.has(queryid);
  }

  /** The statement is now costed another way (custom plans): what was seen before no longer compares. */
  rebase(queryid: string): void {
    this.best.delete(queryid);
    this.reach.delete(queryid);
    for (const first of this.firstCost.values()) first.delete(queryid);
  }

  advice(s: WorkloadStatement, b: Baseline, after: number, set: CandidateSet, floorMs: number): StatementAdvice {
    const q = s.stat.queryid;
    const t = this.targets.get(q)!;
    const before = t.before;
    const pct = (cost: number): number => (before > 0 ? Math.round((100 * (before - cost)) / before) : 0);
    const detail: { -readonly [K in keyof OutcomeDetail]: OutcomeDetail[K] } = { windowMs: round(s.stat.totalMs) };
    if (t.custom) detail.customPlan = true;
    if (b.repairs.length > 0) detail.repairs = b.repairs;
    const best = this.best.get(q);
    if (best !== undefined) detail.bestReductionPct = Math.max(0, pct(best));
    const base = { queryid: q, costBefore: before, costAfter: after, plan: b.notes };
    const how = t.custom ? ' (custom plans with representative values: its generic plan hides the win)' : '';
    if (before > 0 && after <= before * (1 - this.minCostReduction)) {
      return { ...base, outcome: 'improved', reason: `the chosen indexes cut its planner cost from ${before.toFixed(1)} to ${after.toFixed(1)}${how}`, detail };
    }
    const reach = this.reach.get(q);
    if (reach) {
      const names = reach.unit.members.map((m) => m.key);
      if (names.length > 1) detail.combination = names;
      detail.savedMs = round(reach.value.savedMs);
      detail.writeCostMs = round(reach.value.writeMs);
      const what = names.length > 1 ? `indexes ${names.join(' and ')} together` : `an index ${names[0]}`;
      const needs = names.length > 1 ? ' (no single index does: it needs the combination)' : '';
      const why =
        reach.value.net <= 0
          ? `its writes would cost ${formatMs(reach.value.writeMs)} against ${formatMs(reach.value.savedMs)} saved over the window`
          : `it would save ${formatMs(reach.value.savedMs)} over the window, under the floor of ${formatMs(floorMs)} (minSavedShare)`;
      return { ...base, outcome: 'rejected', reason: `${what} would cut its cost by ${pct(reach.cost)}%${needs}${how}, but ${why}`, detail };
    }
    const hadCandidates = (set.byStatement.get(q) ?? []).length > 0;
    if (hadCandidates && best !== undefined && best < before * 0.95) {
      return { ...base, outcome: 'below-threshold', reason: `the best candidate set cuts its planner cost by ${pct(best)}%, under the ${Math.round(this.minCostReduction * 100)}% threshold${how}`, detail };
    }
    return {
      ...base,
      outcome: 'optimal',
      reason: !hadCandidates
        ? `every index its predicates could use already exists${b.uses.length > 0 ? ` (uses ${b.uses.join(', ')})` : ''}`
        : `no candidate index changes its plan${b.uses.length > 0 ? `: it already uses ${b.uses.join(', ')}` : ''}`,
      detail,
    };
  }
}
