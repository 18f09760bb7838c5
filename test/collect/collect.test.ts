import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { p95Estimate, statementColumns } from '../../src/collect/statements.js';
import { deriveScan } from '../../src/derive/scan-state.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import { snapshotOf } from '../harness/scan.js';

const SCHEMA = `
CREATE SCHEMA app;
CREATE SCHEMA billing;
CREATE ROLE app_user LOGIN PASSWORD 'app';
CREATE TABLE billing.accounts (region text, code text, PRIMARY KEY (region, code));
CREATE TABLE app.members (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL, nickname text DEFAULT 'anon');
CREATE UNIQUE INDEX members_email_lower ON app.members (lower(email));
CREATE TABLE app.posts (
  id serial PRIMARY KEY,
  author_id bigint NOT NULL REFERENCES app.members(id) ON DELETE CASCADE,
  title text NOT NULL,
  deleted_at timestamptz,
  CONSTRAINT title_len CHECK (length(title) > 0)
);
CREATE INDEX posts_live ON app.posts (author_id, id DESC) INCLUDE (title) WHERE deleted_at IS NULL;
CREATE TABLE app.events (at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);
-- A foreign key to a table outside the schemas read: its columns are named though that table is not read.
CREATE TABLE app.invoices (id bigint PRIMARY KEY, account_code text, account_region text,
  FOREIGN KEY (account_region, account_code) REFERENCES billing.accounts (region, code));
ALTER TABLE app.posts ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_posts ON app.posts FOR SELECT TO app_user USING (author_id = current_setting('app.user_id')::bigint);
GRANT SELECT ON app.posts TO PUBLIC;
GRANT SELECT, UPDATE ON app.members TO app_user;
INSERT INTO app.members (email) SELECT 'm' || g || '@x.io' FROM generate_series(1, 50) g;
INSERT INTO app.posts (author_id, title) SELECT 1 + g % 50, 't' || g FROM generate_series(1, 200) g;
INSERT INTO billing.accounts VALUES ('eu', 'a1');
INSERT INTO app.invoices VALUES (1, 'a1', 'eu');
`;

describe('collect a snapshot from a real PostgreSQL 18', () => {
  const server = useEmbeddedServer();

  it('reads tables, columns, indexes, constraints, policies, roles, grants, sequences and statements', async () => {
    const url = await databaseWith(server(), SCHEMA, 'collect');
    for (let i = 0; i < 5; i++) await execSql(url, 'SELECT id FROM app.posts WHERE author_id = $1', [i + 1]);
    const snap = await snapshotOf(url, ['app']);

    assert.equal(snap.snapshotVersion, 1);
    assert.match(snap.database.serverVersion, /^18/);
    assert.ok(snap.database.serverVersionNum >= 180000);
    assert.deepEqual(snap.schemas, ['app']);

    const posts = snap.tables.find((t) => t.name === 'posts');
    assert.ok(posts);
    assert.equal(posts.rlsEnabled, true);
    assert.equal(posts.rlsForced, false);
    assert.equal(posts.owner, 'postgres');
    assert.equal(posts.rowEstimate, 200);
    assert.ok(posts.totalBytes > 0);
    assert.deepEqual(posts.columns.map((c) => c.name), ['id', 'author_id', 'title', 'deleted_at']);
    assert.equal(posts.columns[1]!.type, 'bigint');
    assert.equal(posts.columns[1]!.notNull, true);
    const events = snap.tables.find((t) => t.name === 'events');
    assert.equal(events?.kind, 'partitioned');
    const members = snap.tables.find((t) => t.name === 'members')!;
    assert.equal(members.columns[0]!.identity, 'always');
    assert.equal(members.columns[2]!.default, "'anon'::text");

    const live = snap.indexes.find((i) => i.name === 'posts_live');
    assert.ok(live);
    assert.deepEqual(live.keyColumns, ['author_id', 'id']);
    assert.deepEqual(live.includeColumns, ['title']);
    assert.equal(live.predicate, '(deleted_at IS NULL)');
    assert.deepEqual(live.options, [0, 3]); // DESC = INDOPTION_DESC (1) | NULLS FIRST (2)
    const lower = snap.indexes.find((i) => i.name === 'members_email_lower')!;
    assert.deepEqual(lower.keyColumns, [null]);
    assert.deepEqual(lower.expressions, ['lower(email)']);
    assert.equal(lower.unique, true);
    const pk = snap.indexes.find((i) => i.name === 'posts_pkey')!;
    assert.equal(pk.primary, true);
    assert.equal(pk.constraint, 'posts_pkey');

    const fk = snap.constraints.find((c) => c.type === 'foreign' && c.table === 'posts')!;
    assert.deepEqual(fk.columns, ['author_id']);
    const outside = snap.constraints.find((c) => c.type === 'foreign' && c.table === 'invoices')!;
    assert.deepEqual(outside.columns, ['account_region', 'account_code'], 'key columns in the order of the key');
    assert.deepEqual(outside.references?.columns, ['region', 'code']);
    assert.ok(!snap.tables.some((t) => t.schema === 'billing'), 'the referenced table itself is not read');
    assert.deepEqual(fk.references, { schema: 'app', table: 'members', columns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' });
    assert.ok(snap.constraints.some((c) => c.type === 'check' && c.name === 'title_len'));

    assert.deepEqual(snap.policies.map((p) => [p.name, p.command, p.roles, p.permissive]), [['own_posts', 'SELECT', ['app_user'], true]]);
    assert.match(snap.policies[0]!.using ?? '', /current_setting/);
    const appUser = snap.roles.find((r) => r.name === 'app_user')!;
    assert.deepEqual([appUser.login, appUser.superuser, appUser.bypassRls], [true, false, false]);
    assert.ok(snap.roles.find((r) => r.name === 'postgres')?.superuser);
    assert.ok(snap.grants.some((g) => g.table === 'posts' && g.grantee === 'PUBLIC' && g.privilege === 'SELECT'));
    assert.ok(snap.grants.some((g) => g.table === 'members' && g.grantee === 'app_user' && g.privilege === 'UPDATE'));

    const seq = snap.sequences.find((s) => s.name === 'posts_id_seq')!;
    assert.equal(seq.dataType, 'integer');
    assert.equal(seq.lastValue, 200);
    assert.equal(seq.maxValue, 2147483647);
    assert.deepEqual(seq.ownedBy, { table: 'posts', column: 'id', columnType: 'integer' });
    assert.ok(snap.sequences.some((s) => s.ownedBy?.table === 'members'), 'identity sequence is tied to its column');

    assert.ok(snap.columnStats.some((c) => c.table === 'posts' && c.column === 'deleted_at' && c.nullFrac === 1));

    assert.equal(snap.capabilities.pgStatStatements, true);
    assert.equal(snap.capabilities.statementsAllUsers, true);
    const stmt = snap.statements.find((s) => s.query.includes('FROM app.posts WHERE author_id'));
    assert.ok(stmt, 'the workload statement is collected');
    assert.equal(stmt.calls, 5);
    assert.ok(stmt.p95EstimateMs >= stmt.meanMs && stmt.p95EstimateMs <= Math.max(stmt.maxMs, stmt.meanMs));
    const again = await snapshotOf(url, ['app']);
    assert.ok(!again.statements.some((s) => /pg_namespace|pg_stat_statements_info|hypopg_|EXPLAIN/.test(s.query)), 'a second scan does not see pgrescue\'s own queries');
    assert.deepEqual(snap.warnings.map((w) => w.code), ['hypopg-missing'], 'the only warning: embedded PostgreSQL has no HypoPG');
    // Statements are parsed once per scan: a later step's state reuses the advisor's parse (same statements).
    const first = deriveScan(snap);
    assert.equal(deriveScan({ ...snap, advisor: null }, first).workload, first.workload);
    // A snapshot is plain data: it survives JSON.
    assert.deepEqual(JSON.parse(JSON.stringify(snap)), snap);
  });

  it('reads every statement by default; a cap says how many entries and how much time it left out', async () => {
    const url = await databaseWith(server(), SCHEMA.replace(/CREATE ROLE app_user[^;]*;/, '').replace(/ TO app_user/g, ' TO PUBLIC').replace(/CREATE POLICY[^;]*;/, ''), 'capped');
    for (let i = 0; i < 3; i++) {
      await execSql(url, 'SELECT id FROM app.posts WHERE author_id = $1', [i + 1]);
      await execSql(url, 'SELECT email FROM app.members WHERE id = $1', [i + 1]);
      await execSql(url, 'SELECT count(*) FROM app.posts WHERE title = $1', ['x']);
    }
    const all = await snapshotOf(url, ['app']);
    assert.ok(all.statements.length >= 3);
    assert.ok(!all.warnings.some((w) => w.code === 'statements-capped'), 'nothing left out, nothing said');
    const capped = await snapshotOf(url, ['app'], { maxStatements: 1 });
    assert.equal(capped.statements.length, 1);
    const w = capped.warnings.find((x) => x.code === 'statements-capped');
    assert.ok(w, JSON.stringify(capped.warnings));
    assert.match(w.message, new RegExp(`read 1 of ${all.statements.length} pg_stat_statements entries .*: ${all.statements.length - 1} entries, \\d+\\.\\d% of the database time, were left out`));
  });

  it('says which tables the data-checked rules could not judge (empty, never analyzed) and keeps pg_stats readable there', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE empty_one (id int PRIMARY KEY, member_id int); CREATE SCHEMA auth; CREATE TABLE auth.flow_state (id int PRIMARY KEY);', 'notjudged');
    // Rows written after the harness's ANALYZE: never analyzed (autovacuum's first pass is a minute away).
    await execSql(url, 'CREATE TABLE fresh_rows (id int PRIMARY KEY, member_id int); INSERT INTO fresh_rows SELECT g, g FROM generate_series(1, 500) g;');
    const snap = await snapshotOf(url);
    const w = snap.warnings.find((x) => x.code === 'tables-not-judged');
    assert.ok(w, JSON.stringify(snap.warnings));
    assert.match(w.message, /1 of 2 tables are empty \(public\.empty_one\)/);
    assert.match(w.message, /1 tables with rows were never analyzed \(public\.fresh_rows\)/);
    assert.equal(snap.tables.find((t) => t.name === 'fresh_rows')?.neverAnalyzed, true);
    assert.doesNotMatch(w.message, /auth\./, "a platform's tables (Supabase's auth) are not the user's to fill");
    assert.equal(snap.capabilities.pgStatsReadable, true, 'nothing analyzed is not the same as not readable');
  });

  it('warns with the exact fix when pg_stat_statements is not installed, and still collects the catalog', async () => {
    const url = await server().createDatabase('no_pgss');
    await execSql(url, 'CREATE TABLE t (id int PRIMARY KEY)');
    const snap = await snapshotOf(url);
    assert.equal(snap.capabilities.pgStatStatements, false);
    const w = snap.warnings.find((x) => x.code === 'pg-stat-statements-missing');
    assert.ok(w);
    assert.match(w.message, /CREATE EXTENSION pg_stat_statements/);
    assert.equal(snap.tables.length, 1);
  });

  it('warns when a role without pg_read_all_stats can only see its own statements', async () => {
    const url = await databaseWith(
      server(),
      `CREATE ROLE watcher LOGIN PASSWORD 'w'; CREATE TABLE t (id int PRIMARY KEY); GRANT SELECT ON t TO watcher;
       CREATE TABLE posts (id int PRIMARY KEY); CREATE TABLE comments (id int PRIMARY KEY, post_id int);
       -- Rows, so the checks must read the tables (an empty heap is answered from its size alone).
       INSERT INTO posts VALUES (1); INSERT INTO comments VALUES (1, 1);`,
      'ownonly',
    );
    const watcherUrl = url.replace('postgres:pgrescue-demo@', 'watcher:w@');
    const snap = await snapshotOf(watcherUrl);
    const w = snap.warnings.find((x) => x.code === 'pg-stat-statements-own-only');
    assert.ok(w, JSON.stringify(snap.warnings));
    assert.match(w.message, /GRANT pg_read_all_stats TO watcher;/);
    const checks = snap.warnings.find((x) => x.code === 'data-checks-no-privilege');
    assert.ok(checks, 'data checks it may not run are named, with the grant that fixes it');
    assert.match(checks.message, /permission denied.*GRANT pg_read_all_data TO watcher;/);
  });
});

describe('collect from a server without pg_stat_statements preloaded', () => {
  const server = useEmbeddedServer({ settings: { shared_preload_libraries: '' } });

  it('says to add it to shared_preload_libraries and restart', async () => {
    const url = await server().createDatabase('nopreload');
    await execSql(url, 'CREATE EXTENSION pg_stat_statements; CREATE TABLE t (id int PRIMARY KEY)');
    const snap = await snapshotOf(url);
    const w = snap.warnings.find((x) => x.code === 'pg-stat-statements-not-loaded');
    assert.ok(w, JSON.stringify(snap.warnings));
    assert.match(w.message, /shared_preload_libraries/);
    assert.equal(snap.capabilities.pgStatStatements, false);
  });
});

describe('pg_stat_statements columns across versions', () => {
  it('maps pre-13, 13–16 and 17+ column names', () => {
    const pg12 = statementColumns(new Set(['total_time', 'mean_time', 'stddev_time', 'min_time', 'max_time', 'blk_read_time']));
    assert.deepEqual([pg12.total, pg12.mean, pg12.blkRead, pg12.toplevel], ['total_time', 'mean_time', 'blk_read_time', false]);
    const pg14 = statementColumns(new Set(['total_exec_time', 'mean_exec_time', 'blk_read_time', 'toplevel']));
    assert.deepEqual([pg14.total, pg14.stddev, pg14.blkRead, pg14.toplevel], ['total_exec_time', 'stddev_exec_time', 'blk_read_time', true]);
    const pg17 = statementColumns(new Set(['total_exec_time', 'shared_blk_read_time', 'toplevel']));
    assert.equal(pg17.blkRead, 'shared_blk_read_time');
  });

  it('estimates p95 from mean and stddev within the observed maximum', () => {
    assert.equal(p95Estimate(10, 0, 10), 10);
    assert.equal(p95Estimate(10, 10, 100), 10 + 16.45);
    assert.equal(p95Estimate(10, 100, 50), 50);
  });
});
