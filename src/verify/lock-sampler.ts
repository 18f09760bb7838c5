import { ScratchConnection } from '../db/scratch.js';

/** Lock modes that make a writer (INSERT / UPDATE / DELETE take ROW EXCLUSIVE) wait. */
const BLOCKS_WRITES = new Set(['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock']);
/** The one mode that also makes readers wait. */
const BLOCKS_READS = 'AccessExclusiveLock';
const RANK = ['AccessShareLock', 'RowShareLock', 'RowExclusiveLock', 'ShareUpdateExclusiveLock', 'ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'];

/** What the sampler saw of one migration's backend. */
export interface LockTrace {
  /** The strongest lock seen per table ("schema.table" → mode). */
  readonly strongest: Readonly<Record<string, string>>;
  /** How long a writer to the table would have waited: time a write-blocking lock was held. */
  readonly writersBlockedMs: number;
  /** Time an ACCESS EXCLUSIVE lock (readers wait too) was held. */
  readonly readersBlockedMs: number;
  /** Time the migration itself waited for a lock someone else held. */
  readonly waitedMs: number;
  readonly samples: number;
  readonly intervalMs: number;
}

const SAMPLE = `SELECT l.mode, l.granted, n.nspname AS schema, c.relname AS table, a.wait_event_type
  FROM pg_stat_activity a
  LEFT JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'relation'
  LEFT JOIN pg_class c ON c.oid = l.relation AND c.relkind IN ('r', 'p', 'm')
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
 WHERE a.pid = $1`;

/**
 * A second connection that samples pg_locks and pg_stat_activity for one backend while a migration runs (the
 * way Eugene traces migrations): which tables it locked, in which mode, and for how long writers and readers
 * would have queued behind it. Locks held for less than one interval may go unseen.
 */
export class LockSampler {
  private constructor(private readonly client: ScratchConnection, readonly intervalMs: number) {}

  static async open(url: string, intervalMs = 10): Promise<LockSampler> {
    return new LockSampler(await ScratchConnection.open(url, 'pgrescue verify (lock sampler)'), intervalMs);
  }

  /** Sample `pid` until `work` settles; the result of work and the trace. */
  async trace<T>(pid: number, work: Promise<T>): Promise<{ result: T; trace: LockTrace }> {
    const strongest: Record<string, string> = {};
    let writers = 0;
    let readers = 0;
    let waited = 0;
    let samples = 0;
    let done = false;
    const settled = work.finally(() => {
      done = true;
    });
    let last = performance.now();
    const loop = (async () => {
      while (!done) {
        const rows = await this.client.query<{ mode: string | null; granted: boolean | null; schema: string | null; table: string | null; wait_event_type: string | null }>(SAMPLE, [pid]);
        const now = performance.now();
        const span = now - last;
        last = now;
        samples++;
        let blocksWrites = false;
        let blocksReads = false;
        for (const r of rows) {
          if (!r.mode || !r.granted || !r.schema || !r.table) continue;
          const key = `${r.schema}.${r.table}`;
          if (RANK.indexOf(r.mode) > RANK.indexOf(strongest[key] ?? '')) strongest[key] = r.mode;
          if (BLOCKS_WRITES.has(r.mode)) blocksWrites = true;
          if (r.mode === BLOCKS_READS) blocksReads = true;
        }
        if (blocksWrites) writers += span;
        if (blocksReads) readers += span;
        if (rows[0]?.wait_event_type === 'Lock') waited += span;
        await new Promise((resolve) => setTimeout(resolve, this.intervalMs));
      }
    })();
    const result = await settled;
    await loop.catch(() => undefined);
    return { result, trace: { strongest, writersBlockedMs: writers, readersBlockedMs: readers, waitedMs: waited, samples, intervalMs: this.intervalMs } };
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

/** The PostgreSQL name of a lock mode in the words migrations use (AccessExclusiveLock → ACCESS EXCLUSIVE). */
export function lockWords(mode: string): string {
  return mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
}
