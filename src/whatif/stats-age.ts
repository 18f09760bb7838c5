import type { Snapshot } from '../collect/snapshot-types.js';

/** Days over which pg_stat_statements accumulated: since its reset, else the stats reset, else server start. */
export function statementsAge(snapshot: Snapshot, now: Date): number {
  const since = snapshot.database.statementsResetAt ?? snapshot.database.statsResetAt ?? snapshot.database.postmasterStartAt;
  if (!since) return 1;
  return Math.max((now.getTime() - new Date(since).getTime()) / 86_400_000, 1 / 1440);
}
