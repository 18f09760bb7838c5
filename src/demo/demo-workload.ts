import pg from 'pg';

/** Member actions as the app issues them, with bind parameters, so pg_stat_statements fills. */
export interface WorkloadOptions {
  /** How many simulated member requests. */
  readonly requests: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** A tiny deterministic PRNG so every demo run issues the same workload. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Client-side milliseconds per member action, and per whole request. */
export interface WorkloadTimings {
  readonly actions: Readonly<Record<string, readonly number[]>>;
  readonly requests: readonly number[];
}

/** The 95th percentile (nearest rank) of a list of durations. */
export function p95(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)]!;
}

export async function runDemoWorkload(url: string, options: WorkloadOptions): Promise<WorkloadTimings> {
  const client = new pg.Client({ connectionString: url, application_name: 'community-app' });
  await client.connect();
  const random = rng(7);
  const pick = (n: number): number => 1 + Math.floor(random() * n);
  const actions: Record<string, number[]> = {};
  const requests: number[] = [];
  const timed = async <T>(action: string, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const result = await work();
    (actions[action] ??= []).push(performance.now() - started);
    return result;
  };
  try {
    for (let i = 0; i < options.requests; i++) {
      const requestStarted = performance.now();
      const member = pick(20000);
      const community = pick(200);
      // Login: a case-insensitive email lookup with no expression index.
      await timed('login', () => client.query('SELECT id, password_hash FROM members WHERE lower(email) = lower($1)', [`member${member}@example.com`]));
      // The member dashboard: their active memberships (memberships.member_id has no index).
      await timed('dashboard', () =>
        client.query(
          `SELECT m.id, m.status, m.expires_at, c.name FROM memberships m JOIN communities c ON c.id = m.community_id
         WHERE m.member_id = $1 AND m.status = $2`,
          [member, 'active'],
        ),
      );
      // The community feed, then one comment count per post: the N+1 an ORM's lazy relation produces.
      await timed('feed', async () => {
        const posts = await client.query<{ id: string }>(
          'SELECT id, title, author_id FROM posts WHERE community_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 10',
          [community],
        );
        for (const post of posts.rows) {
          await client.query('SELECT count(*) FROM comments WHERE post_id = $1', [post.id]);
        }
      });
      // Billing history, newest first.
      await timed('billing', () => client.query('SELECT id, amount, paid_at FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', [member]));
      if (i % 10 === 0) {
        // Receipt by id only: whoever knows an id can read it.
        await client.query('SELECT * FROM payments WHERE id = $1', [pick(60000)]);
        await client.query('SELECT id, community_id FROM invites WHERE token = $1', [`inv_${i}`]);
        await client.query('UPDATE memberships SET status = $1 WHERE id = $2', ['active', pick(40000)]);
      }
      if (i % 50 === 0) {
        // Renewal job: memberships about to expire.
        await client.query('SELECT id, member_id FROM memberships WHERE status = $1 AND expires_at < $2', ['active', new Date(Date.now() + 86_400_000)]);
      }
      requests.push(performance.now() - requestStarted);
      options.onProgress?.(i + 1, options.requests);
    }
  } finally {
    await client.end();
  }
  return { actions, requests };
}
