import type { CollectContext } from './context.js';

/** Another session's lock that blocks reading a relation (ACCESS EXCLUSIVE conflicts with ACCESS SHARE). */
export interface LockHolder {
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly pid: number;
  readonly user: string | null;
  readonly application: string | null;
}

/**
 * Relations in scope that another session holds ACCESS EXCLUSIVE on (LOCK TABLE, ALTER TABLE, VACUUM FULL…).
 * Reading their size, rows or plans would wait for lock_timeout and fail: they are skipped by name instead, and
 * the rest of the collection goes on. pg_locks itself takes no relation lock.
 */
export async function collectLockedRelations(ctx: Pick<CollectContext, 'session' | 'schemas'>): Promise<LockHolder[]> {
  const rows = await ctx.session.query<{ oid: number; schema: string; name: string; pid: number; user: string | null; application: string | null }>(
    `SELECT DISTINCT ON (c.oid) c.oid::int AS oid, n.nspname::text AS schema, c.relname::text AS name, l.pid,
            a.usename::text AS user, a.application_name::text AS application
     FROM pg_locks l
     JOIN pg_class c ON c.oid = l.relation
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock' AND l.granted
       AND l.pid <> pg_backend_pid() AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND n.nspname = ANY($1::text[])
     ORDER BY c.oid, l.pid`,
    [ctx.schemas],
  );
  return rows;
}

export function describeHolder(h: LockHolder): string {
  const who = [h.user ? `user ${h.user}` : null, h.application ? `application ${h.application}` : null].filter(Boolean).join(', ');
  return `pid ${h.pid}${who ? ` (${who})` : ''}`;
}

/**
 * Read catalog data that sizes relations. A lock taken after the lock check makes the read wait for lock_timeout
 * (55P03): read the locks again, add the newly locked relations to `locked` (which the read consults), report
 * each once, and try once more, so one lock never empties the report.
 */
export async function withLockRetry<T>(
  ctx: Pick<CollectContext, 'session' | 'schemas'> & { readonly locked: Set<number> },
  onNewLock: (holder: LockHolder) => void,
  read: () => Promise<T>,
): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: string }).code !== '55P03') throw error;
    for (const h of await collectLockedRelations(ctx)) {
      if (!ctx.locked.has(h.oid)) onNewLock(h);
      ctx.locked.add(h.oid);
    }
    return read();
  }
}
