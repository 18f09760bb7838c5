import { buildCandidates } from '../advisor/candidates.js';
import { heuristicChoice } from '../advisor/heuristic.js';
import type { AdvisorOptions } from '../advisor/options.js';
import { isPrefix } from '../advisor/prefix.js';
import { tableKey } from '../derive/catalog.js';
import type { AdvisorResult, CandidateIndex, ChosenIndex, StatementAdvice } from '../model/advisor.js';
import type { ProgressEvent } from '../model/progress.js';
import type { Warning } from '../model/snapshot.js';
import type { Session } from '../db/session.js';
import type { ScanState } from '../derive/scan-state.js';
import { statementsAge } from '../derive/units.js';
import type { WorkloadStatement } from '../derive/workload.js';
import { planBaselines } from './baseline-plans.js';
import type { Baseline } from './baseline-plans.js';
import { chooseGreedy, SetCoster } from './choose-set.js';
import type { Pick, Target, Unit, UnitValue } from './choose-set.js';
import { OutcomeTracker } from './outcomes.js';
import { customPlanCheck } from './custom-plans.js';
import { combinations } from './combinations.js';
import { advisorWindow, unplannableWarning } from '../advisor/window.js';
import { StatsValues } from './representative-values.js';
import type { SafeClient } from '../db/session.js';

export interface AdvisorRun {
  readonly result: AdvisorResult;
  readonly warnings: readonly Warning[];
}

/**
 * The what-if planner service. Phase 1: every considered statement's generic plan, with pg_stat_statements'
 * normalization repaired. Phase 2: each candidate alone as a HypoPG hypothetical index; statements no candidate cuts
 * are re-costed with representative values (custom plans); statements joining several tables get a combination of
 * one candidate per table. Phase 3: greedy choice, each step re-costing the workload with the chosen set in place,
 * weighing time saved against the recurring writes of the same window. All in one read-only backend; hypothetical
 * indexes vanish with it.
 */
export async function runAdvisor(session: Session, scan: ScanState, o: AdvisorOptions, onProgress?: (e: ProgressEvent) => void, now = new Date()): Promise<AdvisorRun> {
  const { snapshot } = scan;
  const set = buildCandidates(scan, o);
  const ageDays = statementsAge(snapshot, now);
  const progress = (step: string, state: ProgressEvent['state'], count?: number, elapsedMs?: number): void => onProgress?.({ step, state, count, elapsedMs });
  const started = Date.now();

  return session.withClient(async (sessionClient) => {
    const client = countingPlans(sessionClient);
    progress('what-if: baseline plans', 'start');
    const { baselines, planned, unplanned, warnings: planWarnings } = await planBaselines(client, scan, set);
    progress('what-if: baseline plans', 'done', baselines.size, Date.now() - started);
    const warnings: Warning[] = [...planWarnings];
    const window = advisorWindow(scan, set, unplanned, planned, ageDays);
    if (window.unplannableShare > 0) warnings.push(unplannableWarning(scan, unplanned, window));

    if (!snapshot.capabilities.hypopg) {
      warnings.push({
        code: 'hypopg-missing',
        message: snapshot.capabilities.hypopgAvailable
          ? 'HypoPG is not installed in this database: index advice is unverified (built from predicates and statistics, not proven by the planner). Run CREATE EXTENSION hypopg; (it writes nothing to your tables) or pass --install-hypopg.'
          : 'HypoPG is not available on this server: index advice is unverified (built from predicates and statistics, not proven by the planner). Install it (Debian/Ubuntu: apt-get install postgresql-<version>-hypopg), then CREATE EXTENSION hypopg;',
      });
      const chosen = heuristicChoice(scan, set, o, ageDays);
      const statements = [...unplanned, ...planned.map((s) => heuristicAdvice(s, baselines.get(s.stat.queryid)!, chosen))];
      return { result: { engine: 'heuristic', options: { ...o }, statsAgeDays: ageDays, window, statements, chosen, cost: { plans: client.plans, ms: Date.now() - started } }, warnings };
    }

    const targets: Target[] = planned.map((s) => {
      const b = baselines.get(s.stat.queryid)!;
      return { queryid: s.stat.queryid, input: b.input, tables: new Set(s.tables.filter((t) => t !== undefined).map((t) => tableKey(t.schema, t.name))), windowMs: s.stat.totalMs, before: b.cost, custom: null };
    });
    const coster = new SetCoster(client, targets, o.maxWhatIfPlans);
    const tracker = new OutcomeTracker(targets, o.minCostReduction);
    const onValue = (u: Unit, v: UnitValue): void => tracker.see(u, v);
    const writeMs = (c: CandidateIndex): number => (set.steady.rowsByTable.get(tableKey(c.schema, c.table)) ?? 0) * o.writeCostMs;

    progress('what-if: hypothetical indexes', 'start');
    const singles: Unit[] = set.candidates.map((c) => ({ key: c.key, members: [c] }));
    for (const u of singles) onValue(u, await coster.value(u, writeMs, o.minCostReduction));
    const custom = await customPlanCheck(coster, scan, planned, singles, tracker, writeMs, o, new StatsValues(client));
    const combos = combinations(targets, singles, tracker);
    for (const u of combos) onValue(u, await coster.value(u, writeMs, o.minCostReduction));
    progress('what-if: hypothetical indexes', 'done', singles.length + combos.length, Date.now() - started);

    progress('what-if: choose and verify the set', 'start');
    const floorMs = o.minSavedShare * window.recurringMs;
    const picks = await chooseGreedy(coster, [...singles, ...combos], writeMs, o, floorMs, onValue);
    const finalCosts = await coster.finalCosts();
    progress('what-if: choose and verify the set', 'done', picks.length, Date.now() - started);
    if (coster.exhausted) {
      warnings.push({
        code: 'advisor-plan-budget',
        message: `the index advisor used its budget of ${o.maxWhatIfPlans} what-if plans (missing-index.maxWhatIfPlans): the rest of the choice was made from the costs already known, so some index may be missing from the advice. The chosen set was still proven with every statement re-planned.`,
      });
    }

    const chosen = chosenIndexes(picks, coster, finalCosts, targets, ageDays, custom, writeMs, o.writeCostMs);
    const statements = [
      ...unplanned,
      ...planned.map((s) => tracker.advice(s, baselines.get(s.stat.queryid)!, finalCosts.get(s.stat.queryid) ?? baselines.get(s.stat.queryid)!.cost, set, floorMs)),
    ];
    return { result: { engine: 'hypopg', options: { ...o }, statsAgeDays: ageDays, window, statements, chosen, cost: { plans: client.plans, ms: Date.now() - started } }, warnings };
  });
}

/** The advisor's client, counting the plans it asks for (what one plan costs is a benchmark figure). */
function countingPlans(client: SafeClient): SafeClient & { readonly plans: number } {
  let plans = 0;
  return {
    get plans(): number {
      return plans;
    },
    query<Row extends object>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      if (text.startsWith('EXPLAIN')) plans++;
      return client.query<Row>(text, params);
    },
  };
}

/**
 * The chosen indexes as the report gives them. A combination's saving is shared equally by its members (only together
 * did they earn it); each member's write cost is its own table's.
 */
function chosenIndexes(picks: readonly Pick[], coster: SetCoster, finalCosts: ReadonlyMap<string, number>, targets: readonly Target[], days: number, custom: ReadonlySet<string>, writeMs: (c: CandidateIndex) => number, writeCostMs: number): ChosenIndex[] {
  const all = picks.flatMap((p) => p.added.map((c) => ({ c, p })));
  // An index whose keys lead another chosen one on the same table and predicate is redundant.
  const kept = all.filter(({ c }) => !all.some((o) => o.c !== c && isPrefix(c, o.c) && o.c.keys.length > c.keys.length));
  const byId = new Map(targets.map((t) => [t.queryid, t]));
  const perDay = (ms: number): number => ms / Math.max(days, 1 / 1440);
  return kept.map(({ c, p }) => {
    const share = 1 / p.added.length;
    const write = writeMs(c);
    return {
      candidate: c,
      estimatedBytes: coster.sizes.get(c.key) ?? 0,
      statements: p.value.serves.map((q) => ({ queryid: q, costBefore: byId.get(q)?.before ?? 0, costAfter: finalCosts.get(q) ?? byId.get(q)?.before ?? 0 })),
      savedMsPerDay: perDay(p.value.savedMs * share),
      writesPerDay: perDay(write / Math.max(1e-9, writeCostMs)),
      writeOverheadMsPerDay: perDay(write),
      savedMsInWindow: p.value.savedMs * share,
      writeOverheadMsInWindow: write,
      ...(p.added.length > 1 ? { withIndexes: p.added.filter((o) => o !== c).map((o) => o.key) } : {}),
      ...(p.value.serves.some((q) => custom.has(q)) ? { customPlan: true } : {}),
    };
  });
}

/** Without HypoPG: whether a suggested (unverified) index serves the statement. */
function heuristicAdvice(s: WorkloadStatement, b: Baseline, chosen: readonly ChosenIndex[]): StatementAdvice {
  const helped = chosen.some((c) => c.candidate.fromStatements.includes(s.stat.queryid));
  return {
    queryid: s.stat.queryid,
    outcome: helped ? 'improved' : 'optimal',
    reason: helped ? 'an index is suggested (unverified)' : b.uses.length > 0 ? `already uses index ${b.uses.join(', ')}` : 'every index its predicates could use already exists',
    costBefore: b.cost,
    costAfter: null,
    plan: b.notes,
    ...(b.repairs.length > 0 ? { detail: { repairs: b.repairs } } : {}),
  };
}
