import { buildCandidates } from '../advisor/candidates.js';
import type { CandidateSet } from '../advisor/candidates.js';
import { heuristicChoice } from '../advisor/heuristic.js';
import type { AdvisorOptions } from '../advisor/options.js';
import { selectIndexes } from '../advisor/select.js';
import type { AdvisorResult, ChosenIndex, StatementAdvice } from '../model/advisor.js';
import type { ProgressEvent } from '../model/progress.js';
import type { Warning } from '../model/snapshot.js';
import type { Session } from '../db/session.js';
import type { ScanState } from '../derive/scan-state.js';
import { statementsAge, statsAge } from '../derive/units.js';
import type { WorkloadStatement } from '../derive/workload.js';
import { planBaselines } from './baseline-plans.js';
import type { Baseline } from './baseline-plans.js';
import { costCandidates, proveTogether } from './cost-candidates.js';

export interface AdvisorRun {
  readonly result: AdvisorResult;
  readonly warnings: readonly Warning[];
}

/**
 * The what-if planner service: cost each considered statement's generic plan (phase 1), then with each candidate
 * as a HypoPG hypothetical index (phase 2), choose across the workload, and prove the chosen set together
 * (phase 3). All in one read-only backend; hypothetical indexes vanish with it.
 */
export async function runAdvisor(session: Session, scan: ScanState, o: AdvisorOptions, onProgress?: (e: ProgressEvent) => void, now = new Date()): Promise<AdvisorRun> {
  const { snapshot } = scan;
  const set = buildCandidates(scan, o);
  const ageDays = statementsAge(snapshot, now);
  const tableStatsDays = statsAge(snapshot, now).days;
  const progress = (step: string, state: ProgressEvent['state'], count?: number, elapsedMs?: number): void => onProgress?.({ step, state, count, elapsedMs });
  const started = Date.now();

  return session.withClient(async (client) => {
    progress('what-if: baseline plans', 'start');
    const { baselines, planned, unplanned, warnings: planWarnings } = await planBaselines(client, scan, set);
    progress('what-if: baseline plans', 'done', baselines.size, Date.now() - started);
    const warnings: Warning[] = [...planWarnings];

    if (!snapshot.capabilities.hypopg) {
      warnings.push({
        code: 'hypopg-missing',
        message: snapshot.capabilities.hypopgAvailable
          ? 'HypoPG is not installed in this database: index advice is unverified (built from predicates and statistics, not proven by the planner). Run CREATE EXTENSION hypopg; (it writes nothing to your tables) or pass --install-hypopg.'
          : 'HypoPG is not available on this server: index advice is unverified (built from predicates and statistics, not proven by the planner). Install it (Debian/Ubuntu: apt-get install postgresql-<version>-hypopg), then CREATE EXTENSION hypopg;',
      });
      const chosen = heuristicChoice(scan, set, o, tableStatsDays);
      const statements = [...unplanned, ...planned.map((s) => heuristicAdvice(s, baselines.get(s.stat.queryid)!, chosen))];
      return { result: { engine: 'heuristic', options: { ...o }, statsAgeDays: ageDays, statements, chosen }, warnings };
    }

    progress('what-if: hypothetical indexes', 'start');
    const costed = await costCandidates(client, set.candidates, planned, warnings);
    progress('what-if: hypothetical indexes', 'done', costed.length, Date.now() - started);
    const baselineCosts = new Map([...baselines].map(([q, b]) => [q, b.cost]));
    const selections = selectIndexes(scan, planned, baselineCosts, costed, o, ageDays, tableStatsDays);
    progress('what-if: verify chosen set', 'start');
    const finalCosts = await proveTogether(client, selections.map((sel) => sel.candidate), planned);
    progress('what-if: verify chosen set', 'done', selections.length, Date.now() - started);

    const chosen: ChosenIndex[] = selections.map((sel) => ({
      candidate: sel.candidate,
      estimatedBytes: sel.estimatedBytes,
      statements: sel.serves.map((q) => ({ queryid: q, costBefore: baselineCosts.get(q) ?? 0, costAfter: finalCosts.get(q) ?? baselineCosts.get(q) ?? 0 })),
      savedMsPerDay: sel.savedMsPerDay,
      writesPerDay: sel.writesPerDay,
      writeOverheadMsPerDay: sel.writeOverheadMsPerDay,
    }));
    const statements = [...unplanned, ...planned.map((s) => provenAdvice(s, baselines.get(s.stat.queryid)!, finalCosts, set, o))];
    return { result: { engine: 'hypopg', options: { ...o }, statsAgeDays: ageDays, statements, chosen }, warnings };
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
  };
}

/** With HypoPG: the statement's cost with the whole chosen set in place, and why when it did not improve. */
function provenAdvice(s: WorkloadStatement, b: Baseline, finalCosts: ReadonlyMap<string, number>, set: CandidateSet, o: AdvisorOptions): StatementAdvice {
  const after = finalCosts.get(s.stat.queryid) ?? b.cost;
  const improved = b.cost > 0 && after <= b.cost * (1 - o.minCostReduction);
  const hadCandidates = (set.byStatement.get(s.stat.queryid) ?? []).length > 0;
  return {
    queryid: s.stat.queryid,
    outcome: improved ? 'improved' : 'optimal',
    reason: improved
      ? `the chosen indexes cut its planner cost from ${b.cost.toFixed(1)} to ${after.toFixed(1)}`
      : !hadCandidates
        ? `every index its predicates could use already exists${b.uses.length > 0 ? ` (uses ${b.uses.join(', ')})` : ''}`
        : b.uses.length > 0
          ? `already uses index ${b.uses.join(', ')}; no candidate cut its cost by ${Math.round(o.minCostReduction * 100)}% or more`
          : `no candidate index cut its planner cost by ${Math.round(o.minCostReduction * 100)}% or more (or its saving did not pay for the write overhead)`,
    costBefore: b.cost,
    costAfter: after,
    plan: b.notes,
  };
}
