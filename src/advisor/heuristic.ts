import type { Snapshot } from '../model/snapshot.js';
import type { CandidateSet } from './candidates.js';
import type { AdvisorOptions } from './options.js';
import { isPrefix } from './prefix.js';
import { tableKey } from '../derive/catalog.js';
import type { CandidateIndex, ChosenIndex } from '../model/advisor.js';
import type { ScanState } from '../derive/scan-state.js';

/** Index size estimate without HypoPG: rows × (key widths from pg_stats + tuple overhead), at B-tree fill. */
export function estimateIndexBytes(scan: ScanState, c: CandidateIndex): number {
  const table = scan.catalog.table(c.schema, c.table);
  const rows = table?.rowEstimate ?? 0;
  const width = c.keys.reduce((sum, k) => {
    const stat = scan.catalog.columnStat(c.schema, c.table, k.column);
    return sum + (stat?.avgWidth ?? 16);
  }, 0);
  return Math.round((rows * (width + 16)) / 0.9);
}

/**
 * Without HypoPG: per statement, its most complete candidate (equality + range or ORDER BY); candidates that
 * are a prefix of another chosen one are dropped. Nothing here is proven by the planner: marked unverified.
 */
export function heuristicChoice(scan: ScanState, set: CandidateSet, o: AdvisorOptions, windowDays: number): ChosenIndex[] {
  const byKey = new Map(set.candidates.map((c) => [c.key, c]));
  const picked = new Map<string, CandidateIndex>();
  for (const keys of set.byStatement.values()) {
    const options = keys.map((k) => byKey.get(k)).filter((c): c is CandidateIndex => c !== undefined);
    const best = options.sort((a, b) => b.keys.length - a.keys.length)[0];
    if (best) picked.set(best.key, best);
  }
  const all = [...picked.values()];
  const kept = all.filter((c) => !all.some((other) => other.keys.length > c.keys.length && isPrefix(c, other)));
  return kept.map((candidate) => {
    const rows = set.steady.rowsByTable.get(tableKey(candidate.schema, candidate.table)) ?? 0;
    const writes = rows / Math.max(windowDays, 1 / 1440);
    return {
      candidate,
      estimatedBytes: estimateIndexBytes(scan, candidate),
      statements: candidate.fromStatements.map((queryid) => ({ queryid, costBefore: NaN, costAfter: NaN })),
      savedMsPerDay: NaN,
      writesPerDay: writes,
      writeOverheadMsPerDay: writes * o.writeCostMs,
    };
  });
}
