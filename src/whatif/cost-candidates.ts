import type { CandidateIndex, CostedCandidate } from '../model/advisor.js';
import type { Warning } from '../model/snapshot.js';
import type { SafeClient } from '../db/session.js';
import type { WorkloadStatement } from '../derive/workload.js';
import { explainGeneric, totalCost } from './explain.js';
import { createHypothetical, hypotheticalSize, resetHypothetical } from './hypopg.js';

/** Phase 2: each candidate alone, as a HypoPG hypothetical index, costed against the statements on its table. */
export async function costCandidates(client: SafeClient, candidates: readonly CandidateIndex[], planned: readonly WorkloadStatement[], warnings: Warning[]): Promise<CostedCandidate[]> {
  const costed: CostedCandidate[] = [];
  for (const candidate of candidates) {
    const relevant = planned.filter((s) => s.tables.some((t) => t?.schema === candidate.schema && t.name === candidate.table));
    try {
      const oid = await createHypothetical(client, candidate);
      const estimatedBytes = await hypotheticalSize(client, oid);
      const costs: Record<string, number> = {};
      for (const s of relevant) {
        try {
          costs[s.stat.queryid] = totalCost(await explainGeneric(client, s.stat.query));
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
  return costed;
}

/** Phase 3: the chosen set proven together: every statement re-planned with all chosen indexes in place. */
export async function proveTogether(client: SafeClient, chosen: readonly CandidateIndex[], planned: readonly WorkloadStatement[]): Promise<Map<string, number>> {
  const finalCosts = new Map<string, number>();
  try {
    for (const candidate of chosen) await createHypothetical(client, candidate);
    for (const s of planned) {
      try {
        finalCosts.set(s.stat.queryid, totalCost(await explainGeneric(client, s.stat.query)));
      } catch {
        // keep the baseline
      }
    }
  } finally {
    await resetHypothetical(client);
  }
  return finalCosts;
}
