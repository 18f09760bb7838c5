import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseWith, execSql, useEmbeddedServer } from '../../test/harness/server.js';
import { runCli } from '../../test/harness/cli.js';
import { findingsOf, scanDatabase } from '../../test/harness/scan.js';
import { useSystemServer } from '../../test/harness/system-server.js';

const RULE = 'missing-index';

const SCHEMA = `
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

async function run(url: string, sql: string, params: (n: number) => unknown[], times = 20): Promise<void> {
  for (let i = 1; i <= times; i++) await execSql(url, sql, params(i));
}

const system = useSystemServer();

describe(`${RULE} with HypoPG (system PostgreSQL 15)`, { skip: system.skip }, () => {
  it('proves single-column, composite ORDER BY … LIMIT, expression and partial indexes with the planner', async () => {
    const url = await databaseWith(system.server(), SCHEMA, 'advisor');
    await run(url, 'SELECT id FROM members WHERE lower(email) = lower($1)', (i) => [`m${i}@x.io`]);
    await run(url, 'SELECT id, amount_cents FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', (i) => [i]);
    await run(url, 'SELECT id, title FROM posts WHERE community_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20', (i) => [i]);
    await run(url, 'SELECT count(*) FROM posts WHERE community_id = $1 AND deleted_at IS NULL', (i) => [i]);
    const report = await scanDatabase(url);
    assert.equal(report.capabilities.hypopg, true);
    const found = findingsOf(report, RULE);
    assert.deepEqual(found.map((f) => f.id).sort(), [
      'missing-index:public.members:lower(email)',
      'missing-index:public.payments:member_id,paid_at desc',
      'missing-index:public.posts:community_id,created_at desc where deleted_at IS NULL',
    ]);
    for (const f of found) {
      assert.equal(f.evidence.verified, true);
      const per = f.evidence.perStatement as { costBefore: number; costAfter: number; reductionPct: number }[];
      assert.ok(per.length >= 1);
      for (const s of per) assert.ok(s.reductionPct >= 50 && s.costAfter < s.costBefore, JSON.stringify(s));
      assert.ok(Number(f.evidence.estimatedBytes) > 0, 'size from hypopg_relation_size');
      assert.ok(Number(f.evidence.savedMsPerDay) > 0);
      assert.equal(typeof f.evidence.writeOverheadMsPerDay, 'number');
      assert.match(f.migrations?.[0]?.up ?? '', /CREATE INDEX CONCURRENTLY IF NOT EXISTS/);
    }
    const posts = found.find((f) => f.object.table === 'posts')!;
    assert.equal(posts.statements?.length, 2, 'one partial index serves the list and the count');
    assert.match(posts.migrations?.[0]?.up ?? '', /ON public\.posts \(community_id, created_at DESC\) WHERE deleted_at IS NULL;/);
    const email = found.find((f) => f.object.table === 'members')!;
    assert.match(email.migrations?.[0]?.up ?? '', /ON public\.members \(\(lower\(email\)\)\);/);
  });

  it('suggests nothing for primary-key lookups, tiny tables or covered columns, and says why', async () => {
    const url = await databaseWith(system.server(), SCHEMA, 'advisor_none');
    await run(url, 'SELECT email FROM members WHERE id = $1', (i) => [i]);
    await run(url, 'SELECT name FROM plans WHERE name = $1', (i) => [`p${i}`]);
    await run(url, 'SELECT id FROM invites WHERE token = $1', (i) => [String(i)]);
    await run(url, 'SELECT count(*) FROM payments', () => [], 5);
    const report = await scanDatabase(url);
    assert.deepEqual(findingsOf(report, RULE), []);
    const snapAdvice = (await import('../../test/harness/scan.js')).snapshotOf;
    const advisor = (await snapAdvice(url)).advisor!;
    const reasonOf = (text: string): string => {
      const stat = report.statements.find((s) => s.query.includes(text));
      assert.ok(stat, text);
      return advisor.statements.find((a) => a.queryid === stat.queryid)?.reason ?? 'not considered';
    };
    assert.match(reasonOf('FROM members WHERE id'), /already exists|already uses index members_pkey/);
    assert.match(reasonOf('FROM plans'), /fewer than 1000 rows/);
    assert.match(reasonOf('FROM invites'), /already exists|invites_token_idx/);
    assert.match(reasonOf('count(*) FROM payments'), /no filter/);
  });

  it('--install-hypopg creates the extension (the one write pgrescue makes), so the advice is proven', async () => {
    const url = await databaseWith(system.server(), SCHEMA.replace('CREATE EXTENSION IF NOT EXISTS hypopg;', ''), 'advisor_install');
    await run(url, 'SELECT id, amount_cents FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', (i) => [i]);
    const without = JSON.parse((await runCli(['scan', '--url', url, '--format', 'json', '--rules', RULE])).stdout);
    assert.equal(without.capabilities.hypopg, false, 'never installed unasked');
    const r = await runCli(['scan', '--url', url, '--format', 'json', '--rules', RULE, '--install-hypopg']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.capabilities.hypopg, true);
    assert.equal(report.findings[0]?.evidence.verified, true);
  });

  it('consolidates two statements into one index across the workload', async () => {
    const url = await databaseWith(system.server(), SCHEMA, 'advisor_merge');
    await run(url, 'SELECT sum(amount_cents) FROM payments WHERE member_id = $1', (i) => [i]);
    await run(url, 'SELECT id FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 5', (i) => [i]);
    const found = findingsOf(await scanDatabase(url), RULE);
    assert.deepEqual(found.map((f) => f.id), ['missing-index:public.payments:member_id,paid_at desc']);
    assert.equal(found[0]!.statements?.length, 2);
  });
});

describe(`${RULE} without HypoPG (embedded PostgreSQL 18)`, () => {
  const server = useEmbeddedServer();

  it('builds the same candidates from predicates and statistics, marked unverified, with one warning', async () => {
    const url = await databaseWith(server(), SCHEMA.replace('CREATE EXTENSION IF NOT EXISTS hypopg;', ''), 'advisor_heur');
    await run(url, 'SELECT id, amount_cents FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', (i) => [i]);
    const report = await scanDatabase(url);
    const found = findingsOf(report, RULE);
    assert.deepEqual(found.map((f) => [f.id, f.evidence.verified]), [['missing-index:public.payments:member_id,paid_at desc', false]]);
    assert.match(found[0]!.message, /Unverified/);
    assert.equal(report.warnings.filter((w) => w.code === 'hypopg-missing').length, 1);
    assert.match(report.warnings.find((w) => w.code === 'hypopg-missing')!.message, /CREATE EXTENSION hypopg/);
  });

  it('--install-hypopg on a server without the package warns and stays unverified', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g FROM generate_series(1, 5000) g;', 'advisor_noinstall');
    await run(url, 'SELECT id FROM t WHERE a = $1', (i) => [i]);
    const report = JSON.parse((await runCli(['scan', '--url', url, '--format', 'json', '--install-hypopg'])).stdout);
    assert.equal(report.capabilities.hypopg, false);
    assert.match(report.warnings.find((w: { code: string }) => w.code === 'hypopg-install-failed')?.message ?? '', /CREATE EXTENSION hypopg failed/);
  });

  it('is skipped without pg_stat_statements', async () => {
    const url = await server().createDatabase('advisor_nopgss');
    await execSql(url, 'CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g FROM generate_series(1, 5000) g;');
    assert.deepEqual(findingsOf(await scanDatabase(url), RULE), []);
  });
});
