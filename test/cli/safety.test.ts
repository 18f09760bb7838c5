import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../../src/demo/embedded-server.js';
import { resolveConnection } from '../../src/db/connection-options.js';
import { maskSecrets, maskUrl } from '../../src/db/mask.js';
import { Session } from '../../src/db/session.js';
import { runCli } from '../harness/cli.js';
import { databaseWith, useEmbeddedServer } from '../harness/server.js';

/** One clear line on stderr, no stack trace. */
function assertOneLine(stderr: string): void {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

describe('safety contract on a real server', () => {
  const server = useEmbeddedServer();

  it('every session is read-only, bounded and named', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE t (id int)', 'safety');
    const session = await Session.open(resolveConnection(url));
    try {
      await assert.rejects(session.query('CREATE TABLE u (id int)'), (e: { code?: string }) => e.code === '25006');
      await assert.rejects(session.query('INSERT INTO t VALUES (1)'), (e: { code?: string }) => e.code === '25006');
      const [row] = await session.query<{ ro: string; st: string; lt: string; app: string }>(
        `SELECT current_setting('default_transaction_read_only') ro, current_setting('statement_timeout') st,
                current_setting('lock_timeout') lt, current_setting('application_name') app`,
      );
      assert.deepEqual(row, { ro: 'on', st: '30s', lt: '2s', app: 'pgrescue' });
    } finally {
      await session.close();
    }
  });

  it('a wrong password is one line, exit 2, with the password masked', async () => {
    const url = server().url('postgres').replace('pgrescue-demo', 'hunter2-secret');
    const r = await runCli(['scan', '--url', url]);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr);
    assert.match(r.stderr, /password authentication failed for user "postgres"/);
    assert.doesNotMatch(r.stderr + r.stdout, /hunter2-secret/);
  });

  it('a missing database is one line, exit 2', async () => {
    const r = await runCli(['scan', '--url', server().url('no_such_db')]);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr);
    assert.match(r.stderr, /database "no_such_db" does not exist/);
  });

  it('connects from DATABASE_URL and from the PG* variables', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE t (id int PRIMARY KEY)', 'envconn');
    const fromEnv = await runCli(['scan', '--format', 'json'], { DATABASE_URL: url });
    assert.equal(fromEnv.code, 0, fromEnv.stderr);
    const database = new URL(url).pathname.slice(1);
    const fromPg = await runCli(['scan', '--format', 'json'], {
      PGHOST: '127.0.0.1',
      PGPORT: String(server().port),
      PGUSER: 'postgres',
      PGPASSWORD: 'pgrescue-demo',
      PGDATABASE: database,
    });
    assert.equal(fromPg.code, 0, fromPg.stderr);
    assert.equal(JSON.parse(fromPg.stdout).database.name, database);
    // The password from a .pgpass file (PGPASSFILE points at it, as libpq allows).
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-pgpass-'));
    const pgpass = join(dir, 'pgpass');
    await writeFile(pgpass, `127.0.0.1:${server().port}:*:postgres:pgrescue-demo\n`, { mode: 0o600 });
    const fromPgpass = await runCli(['scan', '--format', 'json', '--url', `postgres://postgres@127.0.0.1:${server().port}/${database}`], { PGPASSFILE: pgpass });
    assert.equal(fromPgpass.code, 0, fromPgpass.stderr);
  });
});

describe('connection errors without a server', () => {
  it('a refused connection is one line, exit 2, password masked', async () => {
    const port = await freePort();
    const r = await runCli(['scan', '--url', `postgres://app:s3cr3t-pw@127.0.0.1:${port}/app`]);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr);
    assert.match(r.stderr, new RegExp(`connection refused at 127.0.0.1:${port}`));
    assert.doesNotMatch(r.stderr, /s3cr3t-pw/);
  });

  it('a malformed URL is one line, exit 2, password masked', async () => {
    const r = await runCli(['scan', '--url', 'mysql://root:topsecret@db/app']);
    assert.equal(r.code, 2);
    assertOneLine(r.stderr);
    assert.match(r.stderr, /invalid database URL \(not shown: it may hold a password\)/);
    assert.doesNotMatch(r.stderr, /topsecret/);
    // Malformed in ways a mask would miss: '@' and '/' in the password, a bad port.
    for (const url of ['postgres://u:pw@localhost:99999/db', 'postgres://u:p@ss/w0rd@:x/db', 'postgres://u:p%zzsecret@h/db']) {
      const bad = await runCli(['scan', '--url', url]);
      assert.equal(bad.code, 2, url);
      assertOneLine(bad.stderr);
      assert.doesNotMatch(bad.stderr, /pw@|ss\/w0rd|zzsecret/, url);
    }
  });

  it('masks passwords in URLs and messages', () => {
    assert.equal(maskUrl('postgres://app:pa%40ss@host:5432/db'), 'postgres://app:****@host:5432/db');
    assert.equal(maskUrl('postgresql://host/db?user=a&password=xyz'), 'postgresql://host/db?user=a&password=****');
    assert.equal(maskSecrets('failed for postgres://a:xyz@h/db with xyz', ['xyz']), 'failed for postgres://a:****@h/db with ****');
  });
});
