import type { Snapshot } from '../model/snapshot.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { AdvisorOptions } from './options.js';
import type { CandidateIndex, CostedCandidate } from '../model/advisor.js';
import type { ScanState } from '../derive/scan-state.js';

export interface Selection {
  readonly candidate: CandidateIndex;
  readonly estimatedBytes: number;
  /** queryids whose best cost this index improved when it was chosen. */
  readonly serves: readonly string[];
  readonly savedMsPerDay: number;
  readonly writesPerDay: number;
  readonly writeOverheadMsPerDay: number;
}

/** A further index must make a statement at least this much cheaper than the indexes already chosen. */
const MARGINAL_GAIN = 0.2;

/** `a`'s keys lead `b`'s, on the same table with the same predicate: `b` serves whatever `a` would. */
export function isPrefix(a: CandidateIndex, b: CandidateIndex): boolean {
  return a !== b && a.schema === b.schema && a.table === b.table && a.where === b.where && a.keys.length <= b.keys.length && a.keys.every((k, i) => k.column === b.keys[i]?.column && k.desc === b.keys[i]?.desc);
}

/** Rows written per day to a table (inserts + updates + deletes), from the cumulative statistics. */
export function writesPerDay(scan: ScanState, schema: string, table: string, statsAgeDays: number): number {
  const t = scan.catalog.table(schema, table);
  if (!t) return 0;
  return (t.stats.nTupIns + t.stats.nTupUpd + t.stats.nTupDel) / Math.max(statsAgeDays, 1 / 1440);
}

/**
 * Greedy workload-wide choice: repeatedly take the candidate with the largest net saving — database time
 * saved per day across every statement it improves (each weighted by its time in pg_stat_statements, scaled
 * by the cost reduction beyond what is already chosen) minus its write overhead — until none pays for itself.
 * Time saved is measured over the pg_stat_statements window; writes over the table statistics window.
 * One index that serves several statements beats several that serve one each.
 */
export function selectIndexes(
  scan: ScanState,
  statements: readonly WorkloadStatement[],
  baseline: ReadonlyMap<string, number>,
  costed: readonly CostedCandidate[],
  o: AdvisorOptions,
  statsAgeDays: number,
  tableStatsDays: number,
): Selection[] {
  const days = Math.max(statsAgeDays, 1 / 1440);
  const best = new Map(baseline);
  const msPerDay = new Map(statements.map((s) => [s.stat.queryid, s.stat.totalMs / days]));
  const remaining = costed.filter((c) =>
    Object.entries(c.costs).some(([q, after]) => {
      const before = baseline.get(q);
      return before !== undefined && before > 0 && after <= before * (1 - o.minCostReduction);
    }),
  );
  const chosen: Selection[] = [];
  while (remaining.length > 0) {
    let top: { index: number; saved: number; net: number; serves: string[]; writes: number; overhead: number } | null = null;
    remaining.forEach((c, index) => {
      let saved = 0;
      const serves: string[] = [];
      for (const [q, after] of Object.entries(c.costs)) {
        const before = baseline.get(q);
        const current = best.get(q);
        // Only a real step beyond what is already chosen counts (at least MARGINAL_GAIN cheaper).
        if (before === undefined || current === undefined || before <= 0 || after > current * (1 - MARGINAL_GAIN)) continue;
        saved += (msPerDay.get(q) ?? 0) * ((current - after) / before);
        serves.push(q);
      }
      const writes = writesPerDay(scan, c.candidate.schema, c.candidate.table, tableStatsDays);
      const overhead = writes * o.writeCostMs;
      const net = saved - overhead;
      if (serves.length > 0 && (top === null || net > top.net || (net === top.net && c.candidate.keys.length < remaining[top.index]!.candidate.keys.length))) {
        top = { index, saved, net, serves, writes, overhead };
      }
    });
    if (top === null) break;
    const pick: { index: number; saved: number; net: number; serves: string[]; writes: number; overhead: number } = top;
    if (pick.net <= 0) break;
    const [c] = remaining.splice(pick.index, 1);
    if (!c) break;
    // A candidate that is a leading prefix of the chosen one (same table and predicate) is now redundant.
    for (let i = remaining.length - 1; i >= 0; i--) if (isPrefix(remaining[i]!.candidate, c.candidate)) remaining.splice(i, 1);
    for (const q of pick.serves) best.set(q, Math.min(best.get(q) ?? Infinity, c.costs[q] ?? Infinity));
    chosen.push({
      candidate: c.candidate,
      estimatedBytes: c.estimatedBytes,
      serves: pick.serves,
      savedMsPerDay: pick.saved,
      writesPerDay: pick.writes,
      writeOverheadMsPerDay: pick.overhead,
    });
  }
  return chosen;
}
