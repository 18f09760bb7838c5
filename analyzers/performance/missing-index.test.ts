import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { ADVISOR_SCHEMA as SCHEMA, run } from './_fixtures.js';

const RULE = 'missing-index';



describe(`${RULE} with HypoPG (fixtures recorded on the system PostgreSQL 15)`, () => {
  const fixtures = useFixtures(import.meta.url, { server: 'system', name: 'hypopg' });
  it('proves single-column, composite ORDER BY … LIMIT, expression and partial indexes with the planner', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'advisor');
    await fixtures.live(db, (url) => run(url, 'SELECT id FROM members WHERE lower(email) = lower($1)', (i) => [`m${i}@x.io`]));
    await fixtures.live(db, (url) => run(url, 'SELECT id, amount_cents FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', (i) => [i]));
    await fixtures.live(db, (url) => run(url, 'SELECT id, title FROM posts WHERE community_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20', (i) => [i]));
    await fixtures.live(db, (url) => run(url, 'SELECT count(*) FROM posts WHERE community_id = $1 AND deleted_at IS NULL', (i) => [i]));
    const report = await fixtures.scan(db);
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
    const db = await fixtures.databaseWith(SCHEMA, 'advisor_none');
    await fixtures.live(db, (url) => run(url, 'SELECT email FROM members WHERE id = $1', (i) => [i]));
    await fixtures.live(db, (url) => run(url, 'SELECT name FROM plans WHERE name = $1', (i) => [`p${i}`]));
    await fixtures.live(db, (url) => run(url, 'SELECT id FROM invites WHERE token = $1', (i) => [String(i)]));
    await fixtures.live(db, (url) => run(url, 'SELECT count(*) FROM payments', () => [], 5));
    const report = await fixtures.scan(db);
    assert.deepEqual(findingsOf(report, RULE), []);
    const advisor = (await fixtures.snapshot(db)).advisor!;
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

  it('consolidates two statements into one index across the workload', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'advisor_merge');
    await fixtures.live(db, (url) => run(url, 'SELECT sum(amount_cents) FROM payments WHERE member_id = $1', (i) => [i]));
    await fixtures.live(db, (url) => run(url, 'SELECT id FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 5', (i) => [i]));
    const found = findingsOf(await fixtures.scan(db), RULE);
    assert.deepEqual(found.map((f) => f.id), ['missing-index:public.payments:member_id,paid_at desc']);
    assert.equal(found[0]!.statements?.length, 2);
  });
});

describe(`${RULE} without HypoPG (fixtures recorded on embedded PostgreSQL 18)`, () => {
  const fixtures = useFixtures(import.meta.url);

  it('builds the same candidates from predicates and statistics, marked unverified, with one warning', async () => {
    const db = await fixtures.databaseWith(SCHEMA.replace('CREATE EXTENSION IF NOT EXISTS hypopg;', ''), 'advisor_heur');
    await fixtures.live(db, (url) => run(url, 'SELECT id, amount_cents FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', (i) => [i]));
    const report = await fixtures.scan(db);
    const found = findingsOf(report, RULE);
    assert.deepEqual(found.map((f) => [f.id, f.evidence.verified]), [['missing-index:public.payments:member_id,paid_at desc', false]]);
    assert.match(found[0]!.message, /Unverified/);
    assert.equal(report.warnings.filter((w) => w.code === 'hypopg-missing').length, 1);
    assert.match(report.warnings.find((w) => w.code === 'hypopg-missing')!.message, /CREATE EXTENSION hypopg/);
  });

});
