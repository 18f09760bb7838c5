import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import pg from 'pg';
import { runCli } from '../harness/cli.js';
import { databaseWith, execSql, freshName, useEmbeddedServer } from '../harness/server.js';
import { decisionTemplate } from '../../src/migrate/decision.js';
import type { VerifyResult } from '../../src/model/verify.js';

const ROLE = `app_v_${process.pid}`;
const PASSWORD = 'app-verify';

/** A community slice the app reads as its own role: members, and posts big enough for a rewrite to take time. */
const SCHEMA = `
DO $$ BEGIN CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE members (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE posts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, member_id bigint NOT NULL REFERENCES members (id), title text NOT NULL, score integer NOT NULL DEFAULT 0, created_at timestamptz NOT NULL DEFAULT now());
INSERT INTO members (email) SELECT 'member' || g || '@example.com' FROM generate_series(1, 2000) g;
INSERT INTO posts (member_id, title, score) SELECT 1 + (g % 2000), 'post ' || g, g % 100 FROM generate_series(1, 300000) g;
GRANT SELECT, INSERT, UPDATE, DELETE ON members, posts TO ${ROLE};
`;

/** The app's member actions, as its own role, with bind parameters. */
async function workload(url: string): Promise<void> {
  const u = new URL(url);
  u.username = ROLE;
  u.password = PASSWORD;
  const client = new pg.Client({ connectionString: u.toString(), application_name: 'community-app' });
  await client.connect();
  try {
    for (let i = 1; i <= 30; i++) {
      await client.query('SELECT id, email FROM members WHERE id = $1', [i]);
      await client.query('SELECT id, title FROM posts WHERE member_id = $1 ORDER BY created_at DESC LIMIT 20', [i * 7]);
      if (i % 6 === 0) await client.query('UPDATE posts SET title = $1 WHERE id = $2', ['edited', i]);
    }
  } finally {
    await client.end();
  }
}

async function folder(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pgrescue-verify-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

describe('pgrescue verify on a scratch copy (real PostgreSQL)', () => {
  // The server's log (stderr format, every statement with its parameters): the input of --log.
  const serverLog: string[] = [];
  const server = useEmbeddedServer({ settings: { log_statement: 'all', log_line_prefix: '%m [%p] %q%u@%d ' }, onLog: (chunk) => serverLog.push(chunk) });
  let source = '';
  let snapshot = '';
  let work = '';

  /** A fresh TEMPLATE copy of the source: what a user would verify on. */
  async function scratch(): Promise<string> {
    const name = freshName('scratch');
    await execSql(server().url('postgres'), `CREATE DATABASE ${name} TEMPLATE ${new URL(source).pathname.slice(1)}`);
    return server().url(name);
  }

  async function verify(dir: string, extra: string[] = []): Promise<{ code: number; result: VerifyResult | null; stderr: string; stdout: string }> {
    const r = await runCli(['verify', '--url', await scratch(), '--scratch', '--migrations', dir, '--snapshot', snapshot, '--format', 'json', ...extra]);
    let result: VerifyResult | null = null;
    try {
      result = JSON.parse(r.stdout) as VerifyResult;
    } catch {
      result = null;
    }
    return { code: r.code, result, stderr: r.stderr, stdout: r.stdout };
  }

  before(async () => {
    source = await databaseWith(server(), SCHEMA, 'verify_src');
    await workload(source);
    work = await mkdtemp(join(tmpdir(), 'pgrescue-verify-work-'));
    snapshot = join(work, 'before.json');
    const r = await runCli(['snapshot', '--url', source, '--out', snapshot]);
    assert.equal(r.code, 0, r.stderr);
  });

  it("passes pgrescue's own safe set: applied, workload replayed as the app role with no row lost, downs restore the schema", async () => {
    const dir = join(work, 'safe');
    const m = await runCli(['migrate', '--snapshot', snapshot, '--tool', 'plain', '--out', dir]);
    assert.equal(m.code, 0, m.stderr);
    assert.ok((await readdir(dir)).some((f) => f.includes('create_index_posts_member_id')), 'the foreign-key index is in the safe set');
    const { code, result, stderr } = await verify(dir);
    assert.equal(code, 0, `${stderr}`);
    assert.ok(result);
    assert.equal(result.ok, true);
    assert.equal(result.role, ROLE, 'replayed as the role behind the captured workload');
    assert.ok(result.replay.executed >= 2, 'the SELECTs ran with sampled parameters');
    assert.equal(result.schemaRestored, true);
    assert.ok(result.files.every((f) => !f.failed && f.lostRows.length === 0 && f.broken.length === 0));
    const index = result.files.find((f) => f.file.includes('create_index_posts_member_id'))!;
    assert.equal(index.finding, 'gone', JSON.stringify(result.files.map((f) => [f.file, f.fixes, f.finding])));
    assert.ok((index.locks?.writersBlockedMs ?? 0) < 1000, 'a concurrent build does not block writers');
    assert.ok(index.costChanges.some((c) => /member_id = \$1/.test(c.query) && (c.costAfter ?? 0) < (c.costBefore ?? 0)), 'the feed plan got cheaper');
  });

  it('fails a planted migration that hides rows from the app role, naming the file', async () => {
    const dir = await folder({
      // The wrong column compared with the member (the lago mistake: a tenant or row id taken for the user id).
      '001_owner_policy.up.sql': "BEGIN;\nALTER TABLE posts ENABLE ROW LEVEL SECURITY;\nCREATE POLICY posts_owner ON posts USING (id = nullif(current_setting('app.user_id', true), '')::bigint);\nCOMMIT;\n",
      '001_owner_policy.down.sql': 'BEGIN;\nDROP POLICY posts_owner ON posts;\nALTER TABLE posts DISABLE ROW LEVEL SECURITY;\nCOMMIT;\n',
    });
    const { code, result } = await verify(dir);
    assert.equal(code, 1);
    const file = result!.files[0]!;
    assert.equal(file.file, '001_owner_policy.up.sql');
    assert.ok(file.verdicts.includes('loses-rows'), JSON.stringify(file.verdicts));
    assert.ok(file.lostRows.some((s) => /FROM posts/.test(s.query)));
    assert.equal(result!.schemaRestored, true, 'its down put the schema back');
    const table = await runCli(['verify', '--url', await scratch(), '--scratch', '--migrations', dir, '--snapshot', snapshot]);
    assert.equal(table.code, 1);
    assert.match(table.stdout, /✗ 001_owner_policy\.up\.sql .*loses rows/);
    assert.match(table.stdout, /^FAIL/m);
  });

  it('with --log, replays the exact logged SELECTs with their parameters, and still fails the hiding policy', async () => {
    const log = join(work, 'postgresql.log');
    await writeFile(log, serverLog.join(''));
    const dir = await folder({
      '001_owner_policy.up.sql': "BEGIN;\nALTER TABLE posts ENABLE ROW LEVEL SECURITY;\nCREATE POLICY posts_owner ON posts USING (id = nullif(current_setting('app.user_id', true), '')::bigint);\nCOMMIT;\n",
      '001_owner_policy.down.sql': 'BEGIN;\nDROP POLICY posts_owner ON posts;\nALTER TABLE posts DISABLE ROW LEVEL SECURITY;\nCOMMIT;\n',
    });
    const { code, result } = await verify(dir, ['--log', log]);
    assert.equal(code, 1);
    assert.equal(result!.replay.source, 'log');
    assert.ok(result!.replay.fromLog >= 2, JSON.stringify(result!.replay));
    assert.ok(result!.files[0]!.lostRows.some((s) => /FROM posts/.test(s.query)));
  });

  it('fails a lock-heavy ALTER TABLE … TYPE on the busy table: writers would have waited', async () => {
    const dir = await folder({
      '001_score_bigint.up.sql': 'ALTER TABLE posts ALTER COLUMN score TYPE bigint;\n',
      '001_score_bigint.down.sql': 'ALTER TABLE posts ALTER COLUMN score TYPE integer;\n',
    });
    const { code, result } = await verify(dir, ['--max-writer-wait', '50']);
    assert.equal(code, 1);
    const file = result!.files[0]!;
    assert.ok(file.verdicts.includes('blocks-writers'), JSON.stringify(file));
    assert.equal(file.locks?.tables['public.posts'], 'ACCESS EXCLUSIVE');
    assert.ok(file.locks!.writersBlockedMs > 50);
  });

  it('stops at an unedited decision template and runs nothing after it; the schema is restored', async () => {
    const template = decisionTemplate('Who owns a post?', ['evidence'], "BEGIN;\nALTER TABLE posts ENABLE ROW LEVEL SECURITY;\nCOMMIT;\n");
    const dir = await folder({
      '001_index.up.sql': 'CREATE INDEX CONCURRENTLY IF NOT EXISTS posts_score_idx ON posts (score);\n',
      '001_index.down.sql': 'DROP INDEX CONCURRENTLY IF EXISTS posts_score_idx;\n',
      '002_decide.up.sql': template,
      '002_decide.down.sql': 'SELECT 1;\n',
      '003_later.up.sql': 'SELECT 1;\n',
      '003_later.down.sql': 'SELECT 1;\n',
    });
    const { code, result } = await verify(dir);
    assert.equal(code, 1);
    assert.deepEqual(result!.files.map((f) => f.verdicts[0]), ['ok', 'undecided', 'not-run']);
    assert.equal(result!.schemaRestored, true);
  });

  it('refuses without --scratch, without a workload, when --from is the scratch database itself, and a role it cannot act as', async () => {
    const dir = await folder({ '001_x.up.sql': 'SELECT 1;\n', '001_x.down.sql': 'SELECT 1;\n' });
    const noScratch = await runCli(['verify', '--url', source, '--migrations', dir, '--snapshot', snapshot]);
    assert.equal(noScratch.code, 2);
    assert.match(noScratch.stderr, /--scratch/);
    assert.doesNotMatch(noScratch.stderr, /\n\s+at /, 'no stack trace');
    const noWorkload = await runCli(['verify', '--url', source, '--scratch', '--migrations', dir]);
    assert.equal(noWorkload.code, 2);
    assert.match(noWorkload.stderr, /--snapshot BEFORE\.json or --from/);
    const same = await runCli(['verify', '--url', source, '--scratch', '--migrations', dir, '--from', source]);
    assert.equal(same.code, 2);
    assert.match(same.stderr, /same database/);
    // Connected as the app's own role (no superuser), it may not act as another role: one line, before any file runs.
    const asApp = new URL(await scratch());
    asApp.username = ROLE;
    asApp.password = PASSWORD;
    const noRole = await runCli(['verify', '--url', asApp.toString(), '--scratch', '--migrations', dir, '--snapshot', snapshot, '--role', 'postgres']);
    assert.equal(noRole.code, 2, noRole.stderr);
    assert.match(noRole.stderr, /cannot act as role "postgres"/);
    const empty = join(work, 'empty');
    await mkdir(empty, { recursive: true });
    const none = await runCli(['verify', '--url', await scratch(), '--scratch', '--migrations', empty, '--snapshot', snapshot]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no migrations in/);
  });
});
