import pg from 'pg';
import { execSql } from '../../test/harness/server.js';

/** The N+1 test workload: a community schema and the request shapes ORMs produce (real queries, bind parameters). */
export const SCHEMA = `
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL UNIQUE, display_name text NOT NULL);
CREATE TABLE sessions (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), token text NOT NULL UNIQUE);
CREATE TABLE posts (id bigint PRIMARY KEY, community_id bigint NOT NULL, author_id bigint NOT NULL REFERENCES members(id), title text NOT NULL, created_at timestamptz NOT NULL);
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts(id), body text NOT NULL);
INSERT INTO members SELECT g, 'm' || g || '@x.io', 'Member ' || g FROM generate_series(1, 500) g;
INSERT INTO sessions SELECT g, g, 'tok' || g FROM generate_series(1, 500) g;
INSERT INTO posts SELECT g, 1 + g % 20, 1 + g % 500, 'Post ' || g, now() - g * interval '1 minute' FROM generate_series(1, 2000) g;
INSERT INTO comments SELECT g, 1 + g % 2000, 'c' || g FROM generate_series(1, 6000) g;
`;

/** What an ORM's lazy relations do: the feed, then per post its comment count, then per post its author. */
export async function ormLoop(client: pg.Client, requests: number): Promise<void> {
  for (let r = 0; r < requests; r++) {
    const posts = await client.query<{ id: string; author_id: string }>('SELECT id, author_id, title FROM posts WHERE community_id = $1 ORDER BY created_at DESC LIMIT 10', [1 + (r % 20)]);
    for (const p of posts.rows) await client.query('SELECT count(*) FROM comments WHERE post_id = $1', [p.id]);
    for (const p of posts.rows) await client.query('SELECT id, display_name FROM members WHERE id = $1', [p.author_id]);
  }
}

/** Lookups done once per request, independent of any list: login, session, current user — and a feed. */
export async function perRequestLookups(client: pg.Client, requests: number): Promise<void> {
  for (let r = 1; r <= requests; r++) {
    await client.query('SELECT id FROM members WHERE email = $1', [`m${r}@x.io`]);
    await client.query('SELECT member_id FROM sessions WHERE token = $1', [`tok${r}`]);
    await client.query('SELECT id, display_name FROM members WHERE id = $1', [r]);
    await client.query('SELECT id, title FROM posts WHERE community_id = $1 ORDER BY created_at DESC LIMIT 10', [1 + (r % 20)]);
  }
}

export async function withClient(url: string, work: (c: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'app' });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}


/** The index advisor's test database: large enough tables for the planner to prefer indexes. */
export const ADVISOR_SCHEMA = `
CREATE EXTENSION IF NOT EXISTS hypopg;
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint NOT NULL, amount_cents int NOT NULL, paid_at timestamptz NOT NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, community_id bigint NOT NULL, title text, created_at timestamptz NOT NULL, deleted_at timestamptz);
CREATE TABLE plans (id int PRIMARY KEY, name text);
CREATE TABLE invites (id bigint PRIMARY KEY, token text NOT NULL);
CREATE INDEX invites_token_idx ON invites (token);
INSERT INTO members SELECT g, 'm' || g || '@x.io', now() - g * interval '1 minute' FROM generate_series(1, 50000) g;
INSERT INTO payments SELECT g, 1 + g % 5000, g % 100, now() - g * interval '1 minute' FROM generate_series(1, 100000) g;
INSERT INTO posts SELECT g, 1 + g % 300, 't', now() - g * interval '1 minute', CASE WHEN g % 20 = 0 THEN now() END FROM generate_series(1, 60000) g;
INSERT INTO plans SELECT g, 'p' || g FROM generate_series(1, 20) g;
INSERT INTO invites SELECT g, md5(g::text) FROM generate_series(1, 20000) g;
`;

/** Run one statement `times` times with parameters from `params(i)` (what the app's requests do). */
export async function run(url: string, sql: string, params: (n: number) => unknown[], times = 20): Promise<void> {
  for (let i = 1; i <= times; i++) await execSql(url, sql, params(i));
}
