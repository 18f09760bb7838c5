import { buildCandidates } from '../advisor/candidates.js';
import { heuristicChoice } from '../advisor/heuristic.js';
import type { AdvisorOptions } from '../advisor/options.js';
import { selectIndexes } from '../advisor/select.js';
import type { AdvisorResult, ChosenIndex, CostedCandidate, PlanNote, StatementAdvice } from '../model/advisor.js';
import type { ProgressEvent } from '../model/progress.js';
import type { Snapshot, Warning } from '../model/snapshot.js';
import type { Session } from '../db/session.js';
import { statementsAge, statsAge } from '../derive/units.js';
import { explainGeneric, totalCost } from './explain.js';
import { createHypothetical, hypotheticalSize, resetHypothetical } from './hypopg.js';
import { indexesUsed, planNotes } from './plan-notes.js';
import { quoteIdent } from '../sql/quote.js';
import { calledFunctions } from '../sql/normalize.js';
import type { ScanState } from '../derive/scan-state.js';

export interface AdvisorRun {
  readonly result: AdvisorResult;
  readonly warnings: readonly Warning[];
}

interface Baseline {
  readonly cost: number;
  readonly notes: readonly PlanNote[];
  readonly uses: readonly string[];
}

/**
 * The what-if planner service: cost each considered statement's generic plan, then with each candidate as
 * a HypoPG hypothetical index, choose across the workload, and verify the chosen set together.
 * All in one read-only backend; hypothetical indexes vanish with it.
 */
export async function runAdvisor(session: Session, scan: ScanState, o: AdvisorOptions, onProgress?: (e: ProgressEvent) => void, now = new Date()): Promise<AdvisorRun> {
  const { snapshot, workload } = scan;
  const set = buildCandidates(scan, o);
  const ageDays = statementsAge(snapshot, now);
  const tableStatsDays = statsAge(snapshot, now).days;
  const warnings: Warning[] = [];
  const version = snapshot.database.serverVersionNum;
  const progress = (step: string, state: ProgressEvent['state'], count?: number, elapsedMs?: number): void => onProgress?.({ step, state, count, elapsedMs });
  const started = Date.now();

  // Planning folds IMMUTABLE calls with constant arguments and evaluates STABLE ones for estimates: a statement
  // calling a function someone wrote would run that code as pgrescue's role. Such statements are not planned.
  const userFunctions = new Map((snapshot.userFunctions ?? []).map((f) => [f.name, `${f.schema}.${f.name}`]));
  const unsafeCall = (query: string): string | undefined => calledFunctions(query).map((n) => userFunctions.get(n)).find((n) => n !== undefined);
  const notPlanned: string[] = [];
  return session.withClient(async (client) => {
    const baselines = new Map<string, Baseline>();
    const failures: StatementAdvice[] = [];
    const denied: string[] = [];
    progress('what-if: baseline plans', 'start');
    for (const s of set.considered) {
      const fn = unsafeCall(s.stat.query);
      if (fn) {
        notPlanned.push(fn);
        failures.push({ queryid: s.stat.queryid, outcome: 'plan-failed', reason: `not planned: it calls ${fn}, a user-defined function the planner could run as pgrescue's role`, costBefore: null, costAfter: null, plan: [] });
        continue;
      }
      try {
        const plan = await explainGeneric(client, s.stat.query, version);
        baselines.set(s.stat.queryid, { cost: totalCost(plan), notes: planNotes(plan), uses: indexesUsed(plan) });
      } catch (error) {
        if ((error as { code?: string }).code === '42501') denied.push((error as Error).message);
        failures.push({ queryid: s.stat.queryid, outcome: 'plan-failed', reason: `the planner could not plan it generically: ${(error as Error).message}`, costBefore: null, costAfter: null, plan: [] });
      }
    }
    // Statements no index can help still get their plan read: slow-query names the cause from it.
    const byId = new Map(workload.statements.map((w) => [w.stat.queryid, w]));
    const skipped: StatementAdvice[] = [];
    for (const advice of set.skipped) {
      const w = byId.get(advice.queryid);
      if (!w || (advice.outcome !== 'no-usable-predicate' && advice.outcome !== 'tiny-tables') || unsafeCall(w.stat.query)) {
        skipped.push(advice);
        continue;
      }
      try {
        const plan = await explainGeneric(client, w.stat.query, version);
        skipped.push({ ...advice, costBefore: totalCost(plan), costAfter: totalCost(plan), plan: planNotes(plan) });
      } catch {
        skipped.push(advice);
      }
    }
    progress('what-if: baseline plans', 'done', baselines.size, Date.now() - started);
    if (notPlanned.length > 0) {
      warnings.push({
        code: 'advisor-skipped-user-functions',
        message: `${notPlanned.length} statement(s) call user-defined IMMUTABLE/STABLE functions (${[...new Set(notPlanned)].slice(0, 3).join(', ')}) and were not planned: planning may run such a function as the scanning role. Index advice for them is missing.`,
      });
    }
    if (denied.length > 0) {
      // EXPLAIN needs SELECT on every table a statement reads: without it missing-index would silently shrink.
      const role = quoteIdent(snapshot.database.currentUser);
      warnings.push({
        code: 'explain-permission-denied',
        message: `${denied.length} statement(s) could not be planned (${denied[0]}): their index advice is missing. Run: GRANT pg_read_all_data TO ${role}; (PostgreSQL 14+) or GRANT SELECT ON ALL TABLES IN SCHEMA <schema> TO ${role};`,
      });
    }
    const planned = set.considered.filter((s) => baselines.has(s.stat.queryid));

    if (!snapshot.capabilities.hypopg) {
      warnings.push({
        code: 'hypopg-missing',
        message: snapshot.capabilities.hypopgAvailable
          ? 'HypoPG is not installed in this database: index advice is unverified (built from predicates and statistics, not proven by the planner). Run CREATE EXTENSION hypopg; (it writes nothing to your tables) or pass --install-hypopg.'
          : 'HypoPG is not available on this server: index advice is unverified (built from predicates and statistics, not proven by the planner). Install it (Debian/Ubuntu: apt-get install postgresql-<version>-hypopg), then CREATE EXTENSION hypopg;',
      });
      const chosen = heuristicChoice(scan, set, o, tableStatsDays);
      const statements = [
        ...skipped,
        ...failures,
        ...planned.map((s): StatementAdvice => {
          const b = baselines.get(s.stat.queryid)!;
          const helped = chosen.some((c) => c.candidate.fromStatements.includes(s.stat.queryid));
          return {
            queryid: s.stat.queryid,
            outcome: helped ? 'improved' : 'optimal',
            reason: helped ? 'an index is suggested (unverified)' : b.uses.length > 0 ? `already uses index ${b.uses.join(', ')}` : 'every index its predicates could use already exists',
            costBefore: b.cost,
            costAfter: null,
            plan: b.notes,
          };
        }),
      ];
      return { result: { engine: 'heuristic', options: { ...o }, statsAgeDays: ageDays, statements, chosen }, warnings };
    }

    // Cost every candidate alone against the statements on its table.
    const costed: CostedCandidate[] = [];
    progress('what-if: hypothetical indexes', 'start');
    for (const candidate of set.candidates) {
      const relevant = planned.filter((s) => s.tables.some((t) => t?.schema === candidate.schema && t.name === candidate.table));
      try {
        const oid = await createHypothetical(client, candidate);
        const estimatedBytes = await hypotheticalSize(client, oid);
        const costs: Record<string, number> = {};
        for (const s of relevant) {
          try {
            costs[s.stat.queryid] = totalCost(await explainGeneric(client, s.stat.query, version));
          } catch {
            // planned before, so this is transient; leave it out
          }
        }
        costed.push({ candidate, estimatedBytes, costs });
      } catch (error) {
        warnings.push({ code: 'hypopg-candidate-failed', message: `HypoPG could not create a candidate index on ${candidate.schema}.${candidate.table}: ${(error as Error).message}` });
      } finally {
        await resetHypothetical(client);
      }
    }
    progress('what-if: hypothetical indexes', 'done', costed.length, Date.now() - started);

    const baselineCosts = new Map([...baselines].map(([q, b]) => [q, b.cost]));
    const selections = selectIndexes(scan, planned, baselineCosts, costed, o, ageDays, tableStatsDays);

    // Prove the chosen set together: every statement re-planned with all chosen indexes in place.
    const finalCosts = new Map<string, number>();
    progress('what-if: verify chosen set', 'start');
    try {
      for (const sel of selections) await createHypothetical(client, sel.candidate);
      for (const s of planned) {
        try {
          finalCosts.set(s.stat.queryid, totalCost(await explainGeneric(client, s.stat.query, version)));
        } catch {
          // keep the baseline
        }
      }
    } finally {
      await resetHypothetical(client);
    }
    progress('what-if: verify chosen set', 'done', selections.length, Date.now() - started);

    const chosen: ChosenIndex[] = selections.map((sel) => ({
      candidate: sel.candidate,
      estimatedBytes: sel.estimatedBytes,
      statements: sel.serves.map((q) => ({ queryid: q, costBefore: baselineCosts.get(q) ?? 0, costAfter: finalCosts.get(q) ?? baselineCosts.get(q) ?? 0 })),
      savedMsPerDay: sel.savedMsPerDay,
      writesPerDay: sel.writesPerDay,
      writeOverheadMsPerDay: sel.writeOverheadMsPerDay,
    }));
    const statements: StatementAdvice[] = [
      ...skipped,
      ...failures,
      ...planned.map((s): StatementAdvice => {
        const b = baselines.get(s.stat.queryid)!;
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
      }),
    ];
    return { result: { engine: 'hypopg', options: { ...o }, statsAgeDays: ageDays, statements, chosen }, warnings };
  });
}
