import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { ANALYZERS } from '../index.js';
import { scanLogs } from '../../src/collect/logs/scan-logs.js';
import { startEmbedded } from '../../src/demo/embedded-server.js';
import type { EmbeddedServer } from '../../src/demo/embedded-server.js';
import { analyze } from '../../src/engine/run.js';
import { buildWorkload } from '../../src/derive/workload.js';
import { mergeByFingerprint } from '../../src/nplus1/per-row-lookups.js';
import { databaseWith, useEmbeddedServer } from '../../test/harness/server.js';
import { findingsOf, snapshotOf } from '../../test/harness/scan.js';

const RULE = 'n-plus-one';

const SCHEMA = `
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
async function ormLoop(client: pg.Client, requests: number): Promise<void> {
  for (let r = 0; r < requests; r++) {
    const posts = await client.query<{ id: string; author_id: string }>('SELECT id, author_id, title FROM posts WHERE community_id = $1 ORDER BY created_at DESC LIMIT 10', [1 + (r % 20)]);
    for (const p of posts.rows) await client.query('SELECT count(*) FROM comments WHERE post_id = $1', [p.id]);
    for (const p of posts.rows) await client.query('SELECT id, display_name FROM members WHERE id = $1', [p.author_id]);
  }
}

/** Lookups done once per request, independent of any list: login, session, current user — and a feed. */
async function perRequestLookups(client: pg.Client, requests: number): Promise<void> {
  for (let r = 1; r <= requests; r++) {
    await client.query('SELECT id FROM members WHERE email = $1', [`m${r}@x.io`]);
    await client.query('SELECT member_id FROM sessions WHERE token = $1', [`tok${r}`]);
    await client.query('SELECT id, display_name FROM members WHERE id = $1', [r]);
    await client.query('SELECT id, title FROM posts WHERE community_id = $1 ORDER BY created_at DESC LIMIT 10', [1 + (r % 20)]);
  }
}

async function withClient(url: string, work: (c: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'app' });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

describe(`${RULE} from pg_stat_statements`, () => {
  const server = useEmbeddedServer();

  it('reports the per-row loop (children and parents of each row) with its parent list', async () => {
    const url = await databaseWith(server(), SCHEMA, 'n1_loop');
    await withClient(url, (c) => ormLoop(c, 30));
    const report = analyze(await snapshotOf(url), ANALYZERS, { rules: [RULE] });
    const found = findingsOf(report, RULE);
    assert.deepEqual(found.map((f) => f.object.table).sort(), ['comments', 'members']);
    const comments = found.find((f) => f.object.table === 'comments')!;
    assert.equal(comments.evidence.childCalls, 300);
    assert.equal(comments.evidence.parentRows, 300);
    assert.equal(comments.evidence.ratio, 1);
    assert.equal(comments.evidence.linkedBy, 'foreign-key');
    assert.match(comments.statements?.[0]?.query ?? '', /FROM posts WHERE community_id/);
    assert.match(comments.remediation, /SELECT post_id, count\(\*\) FROM comments WHERE post_id = ANY\(\$1\) GROUP BY post_id/);
    assert.match(comments.remediation, /Prisma.*Drizzle.*Sequelize.*ActiveRecord/);
    assert.match(comments.message, /Statistics cover only/);
    const authors = found.find((f) => f.object.table === 'members')!;
    assert.equal(authors.evidence.lookup, 'parent-of-row');
  });

  it('does not report lookups done once per request (login, session, current user)', async () => {
    const url = await databaseWith(server(), SCHEMA, 'n1_fp');
    await withClient(url, (c) => perRequestLookups(c, 200));
    const report = analyze(await snapshotOf(url), ANALYZERS, { rules: [RULE] });
    assert.deepEqual(findingsOf(report, RULE), []);
  });

  it('merges entries that differ only by IN list length before judging', async () => {
    const url = await databaseWith(server(), SCHEMA, 'n1_in');
    await withClient(url, async (c) => {
      for (let n = 1; n <= 6; n++) await c.query(`SELECT id FROM comments WHERE post_id IN (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`, Array.from({ length: n }, (_, i) => i + 1));
    });
    const snap = await snapshotOf(url);
    const merged = mergeByFingerprint(buildWorkload(snap)).filter((m) => m.representative.query.includes('FROM comments WHERE post_id IN'));
    assert.equal(merged.length, 1);
    assert.equal(merged[0]!.calls, 6);
  });
});

describe(`${RULE} from PostgreSQL logs (stderr, csvlog, jsonlog written by a real server)`, () => {
  let server: EmbeddedServer;
  let logDir: string;
  before(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'pgrescue-logs-'));
    await chmod(logDir, 0o777);
    server = await startEmbedded({
      settings: {
        logging_collector: 'on',
        log_directory: logDir,
        log_filename: 'pg.log',
        log_destination: 'stderr,csvlog,jsonlog',
        log_min_duration_statement: '0',
        log_line_prefix: '%m [%p] %q%u@%d ',
      },
    });
  });
  after(async () => server.stop());

  it('reports the exact sequences in every format, never a parameter value', async () => {
    const url = await databaseWith(server, SCHEMA, 'n1_logs');
    await withClient(url, (c) => ormLoop(c, 12));
    await withClient(url, (c) => perRequestLookups(c, 50));
    // A simple-protocol loop with literals in the text (no bind parameters).
    await withClient(url, async (c) => {
      for (let r = 0; r < 4; r++) {
        const posts = await c.query<{ id: string }>(`SELECT id FROM posts WHERE community_id = ${r + 3} ORDER BY created_at DESC LIMIT 6`);
        for (const p of posts.rows) await c.query(`SELECT body FROM comments WHERE post_id = ${p.id} AND body <> 'secret-literal'`);
      }
    });
    // A loop that loads two relations per row, interleaved (an ORM resolving both lazily in one pass).
    await withClient(url, async (c) => {
      for (let r = 0; r < 6; r++) {
        const posts = await c.query<{ id: string; author_id: string }>('SELECT id, author_id FROM posts WHERE community_id = $1 ORDER BY id LIMIT 8', [r + 5]);
        for (const p of posts.rows) {
          await c.query('SELECT body FROM comments WHERE post_id = $1 LIMIT 1', [p.id]);
          await c.query('SELECT email FROM members WHERE id = $1', [p.author_id]);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const files = (await readdir(logDir)).sort();
    assert.deepEqual(files, ['pg.csv', 'pg.json', 'pg.log']);
    const snap = await snapshotOf(url);
    for (const file of files) {
      const logs = await scanLogs([join(logDir, file)]);
      assert.equal(logs.files[0]!.format, { 'pg.csv': 'csvlog', 'pg.json': 'jsonlog', 'pg.log': 'stderr' }[file]);
      const report = analyze({ ...snap, logs, capabilities: { ...snap.capabilities, pgStatStatements: false } }, ANALYZERS, { rules: [RULE] });
      const found = findingsOf(report, RULE);
      const counts = found.find((f) => String(f.evidence.exampleSequence).includes('count(*) FROM comments'));
      assert.ok(counts, `${file}: ${JSON.stringify(found.map((f) => f.evidence.exampleSequence))}`);
      assert.equal(counts.evidence.logRuns, 12, file);
      assert.equal(counts.evidence.logChildExecutions, 120, file);
      assert.equal(counts.evidence.logLongestRun, 10, file);
      const authors = found.find((f) => String(f.evidence.exampleSequence).includes('FROM members WHERE id'));
      assert.ok(authors, file);
      assert.match(String((authors.evidence.exampleSequence as string[])[0]), /FROM posts WHERE community_id/, 'the second loop belongs to the same list');
      const literal = found.find((f) => String(f.evidence.exampleSequence).includes('AND body <> $'));
      assert.ok(literal, `${file}: the simple-protocol loop is found too`);
      assert.equal(literal.evidence.logChildExecutions, 24);
      for (const child of ['SELECT body FROM comments WHERE post_id', 'SELECT email FROM members']) {
        const interleaved = found.find((f) => String(f.evidence.exampleSequence).includes(child));
        assert.ok(interleaved, `${file}: the interleaved loop's ${child} is found`);
        assert.equal(interleaved.evidence.logRuns, 6, file);
        assert.equal(interleaved.evidence.logChildExecutions, 48, file);
        assert.match(String((interleaved.evidence.exampleSequence as string[])[0]), /ORDER BY id LIMIT/);
      }
      const text = JSON.stringify(found);
      assert.doesNotMatch(text, /secret-literal|m\d+@x\.io|tok\d+/, `${file}: no literal or parameter value in the report`);
      assert.ok(!found.some((f) => String(f.evidence.exampleSequence).includes('FROM sessions')), `${file}: per-request lookups are not runs`);
    }
  });
});
