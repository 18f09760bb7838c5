import type { Snapshot } from '../model/snapshot.js';

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
  if (bytes >= 1024 ** 2) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(0)} KiB`;
  return `${bytes} B`;
}

const DAY_MS = 86_400_000;

/**
 * How long the cumulative table and index statistics have been gathering, in days, and since when:
 * the last reset of this database's statistics, else the server start (a lower bound).
 */
export function statsAge(snapshot: Snapshot, now: Date): { days: number; since: string | null; source: 'reset' | 'server-start' | 'unknown' } {
  const since = snapshot.database.statsResetAt ?? snapshot.database.postmasterStartAt;
  const source = snapshot.database.statsResetAt ? 'reset' : snapshot.database.postmasterStartAt ? 'server-start' : 'unknown';
  if (!since) return { days: 0, since: null, source };
  return { days: Math.max(0, (now.getTime() - new Date(since).getTime()) / DAY_MS), since, source };
}

/** Days over which pg_stat_statements accumulated: since its reset, else the stats reset, else server start. */
export function statementsAge(snapshot: Snapshot, now: Date): number {
  const since = snapshot.database.statementsResetAt ?? snapshot.database.statsResetAt ?? snapshot.database.postmasterStartAt;
  if (!since) return 1;
  return Math.max((now.getTime() - new Date(since).getTime()) / DAY_MS, 1 / 1440);
}
