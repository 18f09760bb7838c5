import { buildCandidates } from '../advisor/candidates.js';
import type { CandidateSet } from '../advisor/candidates.js';
import { heuristicChoice } from '../advisor/heuristic.js';
import type { AdvisorOptions } from '../advisor/options.js';
import { isPrefix } from '../advisor/select.js';
import { tableKey } from '../derive/catalog.js';
import { formatMs, formatWindow, plural } from '../derive/format.js';
import type { AdvisorResult, AdvisorWindow, CandidateIndex, ChosenIndex, StatementAdvice } from '../model/advisor.js';
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
import { customCall, explainCustom, totalCost } from './explain.js';
import { OutcomeTracker } from './outcomes.js';
import { representativeValues, StatsValues } from './representative-values.js';

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

  return session.withClient(async (client) => {
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
      return { result: { engine: 'heuristic', options: { ...o }, statsAgeDays: ageDays, window, statements, chosen }, warnings };
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
    return { result: { engine: 'hypopg', options: { ...o }, statsAgeDays: ageDays, window, statements, chosen }, warnings };
  });
}

/**
 * Statements no single candidate cuts under the generic plan are costed again with representative values from
 * pg_stats: a filter whose generic estimate is an average, or a `CASE WHEN $1 …` that a real call folds away, can
 * hide a win the app's calls get. When the custom plans show it, the statement is costed that way from then on.
 */
async function customPlanCheck(coster: SetCoster, scan: ScanState, planned: readonly WorkloadStatement[], singles: readonly Unit[], tracker: OutcomeTracker, writeMs: (c: CandidateIndex) => number, o: AdvisorOptions, values: StatsValues): Promise<Set<string>> {
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

/** For each statement that joins several tables: the best single candidate on each, to be costed together. */
function combinations(targets: readonly Target[], singles: readonly Unit[], tracker: OutcomeTracker): Unit[] {
  const out = new Map<string, Unit>();
  for (const t of targets) {
    if (t.tables.size < 2) continue;
    const perTable = new Map<string, { unit: Unit; cost: number }>();
    for (const u of singles) {
      const m = u.members[0]!;
      const cost = tracker.costOf(u.key, t.queryid);
      const table = tableKey(m.schema, m.table);
      if (cost === undefined || cost >= t.before || !t.tables.has(table)) continue;
      const seen = perTable.get(table);
      if (!seen || cost < seen.cost) perTable.set(table, { unit: u, cost });
    }
    if (perTable.size < 2) continue;
    const members = [...perTable.values()].map((p) => p.unit.members[0]!).sort((a, b) => a.key.localeCompare(b.key));
    const key = members.map((m) => m.key).join(' + ');
    if (!out.has(key)) out.set(key, { key, members });
  }
  return [...out.values()];
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

function advisorWindow(scan: ScanState, set: CandidateSet, unplanned: readonly StatementAdvice[], planned: readonly WorkloadStatement[], days: number): AdvisorWindow {
  const ms = new Map(scan.workload.statements.map((s) => [s.stat.queryid, s.stat.totalMs]));
  const oneOffMs = [...set.steady.oneOff.keys()].reduce((sum, q) => sum + (ms.get(q) ?? 0), 0);
  const unplannableMs = unplanned.filter((a) => a.outcome === 'unplannable').reduce((sum, a) => sum + (ms.get(a.queryid) ?? 0), 0);
  const plannedMs = planned.reduce((sum, s) => sum + s.stat.totalMs, 0) + unplanned.filter((a) => a.outcome === 'tiny-tables' || a.outcome === 'no-usable-predicate').reduce((sum, a) => sum + (ms.get(a.queryid) ?? 0), 0);
  const minutes = days * 1440;
  const caveats: string[] = [];
  if (minutes < 1440) caveats.push(`the advice rests on ${formatWindow(minutes)} of pg_stat_statements history: time saved and write cost are compared over that window; per-day figures extrapolate it`);
  if (set.steady.oneOff.size > 0) caveats.push(`${plural(set.steady.oneOff.size, 'one-off statement')} (loads, backfills, DDL: ${formatMs(oneOffMs)}) are left out of the write cost and of the workload`);
  return { minutes, recurringMs: set.steady.recurringMs, oneOffMs, unplannableShare: unplannableMs / Math.max(unplannableMs + plannedMs, 1e-9), caveats };
}

function unplannableWarning(scan: ScanState, unplanned: readonly StatementAdvice[], window: AdvisorWindow): Warning {
  const failed = unplanned.filter((a) => a.outcome === 'unplannable');
  const first = failed[0]?.reason ?? '';
  return {
    code: 'advisor-unplannable',
    message: `${plural(failed.length, 'statement')} holding ${(window.unplannableShare * 100).toFixed(1)}% of the considered database time could not be planned, so they have no index advice (first: ${first.slice(0, 200)})`,
  };
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
