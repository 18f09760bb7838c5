import type { CandidateSet } from './candidates.js';
import { formatMs, formatWindow, plural } from '../derive/format.js';
import type { ScanState } from '../derive/scan-state.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { AdvisorWindow, StatementAdvice } from '../model/advisor.js';
import type { Warning } from '../model/snapshot.js';

/** The stats window the advice rests on: its length, the recurring and one-off time in it, what could not be planned. */
export function advisorWindow(scan: ScanState, set: CandidateSet, unplanned: readonly StatementAdvice[], planned: readonly WorkloadStatement[], days: number): AdvisorWindow {
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

export function unplannableWarning(scan: ScanState, unplanned: readonly StatementAdvice[], window: AdvisorWindow): Warning {
  const failed = unplanned.filter((a) => a.outcome === 'unplannable');
  const first = failed[0]?.reason ?? '';
  return {
    code: 'advisor-unplannable',
    message: `${plural(failed.length, 'statement')} holding ${(window.unplannableShare * 100).toFixed(1)}% of the considered database time could not be planned, so they have no index advice (first: ${first.slice(0, 200)})`,
  };
}
