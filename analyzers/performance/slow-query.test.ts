import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { databaseWith } from '../../test/harness/server.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'slow-query';
const SCHEMA = `CREATE TABLE events (id bigint PRIMARY KEY, member_id bigint NOT NULL, kind text NOT NULL, at timestamptz NOT NULL);
  INSERT INTO events SELECT g, g % 3000, 'k' || (g % 7), now() - g * interval '1 second' FROM generate_series(1, 300000) g;`;

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when every statement is within its budget', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'slow_ok');
    for (let i = 1; i <= 10; i++) await fixtures.exec(db, 'SELECT kind FROM events WHERE id = $1', [i]);
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE, 'missing-index']), RULE), []);
  });

  it('links a slow statement to the index that fixes it, and explains one no index can fix', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'slow_bad');
    for (let i = 1; i <= 10; i++) await fixtures.exec(db, 'SELECT id, at FROM events WHERE member_id = $1 ORDER BY at DESC LIMIT 20', [i]);
    for (let i = 1; i <= 5; i++) await fixtures.exec(db, 'SELECT kind, count(*) FROM events GROUP BY kind');
    // Budgets lowered so a test-sized table is "slow"; the defaults are 500 ms / 300 ms / 100 ms.
    const report = await fixtures.scan(db, [RULE, 'missing-index'], { 'slow-query.p95BudgetMs': 1, 'slow-query.listBudgetMs': 1 });
    const found = findingsOf(report, RULE);
    const list = found.find((f) => f.statements?.[0]?.query.includes('ORDER BY at DESC'));
    assert.ok(list, JSON.stringify(found.map((f) => f.statements?.[0]?.query)));
    assert.equal(list.evidence.listQuery, true);
    assert.equal(list.evidence.fixedBy, 'missing-index:public.events:member_id,at desc');
    assert.ok(report.findings.some((f) => f.id === list.evidence.fixedBy), 'the linked finding exists');
    assert.equal(list.evidence.p95IsEstimate, true);
    const scan = found.find((f) => f.statements?.[0]?.query.includes('GROUP BY kind'));
    assert.ok(scan);
    assert.equal(scan.evidence.fixedBy, null);
    assert.match(scan.message, /No index is suggested: no filter/);
    assert.match(String(scan.evidence.planCause), /sequential scan of events|aggregate/);
  });
});
