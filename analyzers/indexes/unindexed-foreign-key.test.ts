import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { databaseWith } from '../../test/harness/server.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'unindexed-foreign-key';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when every foreign key leads an index (single, composite PK, composite index, partial IS NOT NULL)', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE communities (id bigint PRIMARY KEY);
       CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES members(id));
       CREATE INDEX ON posts (author_id);
       -- A nullable reference indexed only where set: lookups by a value never match a NULL, so it serves them.
       CREATE TABLE "Invites" (id bigint PRIMARY KEY, "inviterId" bigint REFERENCES members(id), accepted_by bigint REFERENCES members(id));
       CREATE INDEX ON "Invites" ("inviterId") WHERE "inviterId" IS NOT NULL;
       CREATE INDEX ON "Invites" (accepted_by) WHERE (accepted_by IS NOT NULL AND accepted_by IS NOT NULL);
       CREATE TABLE memberships (member_id bigint REFERENCES members(id), community_id bigint REFERENCES communities(id),
                                 PRIMARY KEY (member_id, community_id));
       CREATE INDEX ON memberships (community_id, member_id);`,
      'fk_ok',
    );
    const report = await fixtures.scan(db, [RULE]);
    assert.deepEqual(findingsOf(report, RULE), []);
  });

  it('reports unindexed keys; partial or trailing-column indexes do not count; severity follows size and use', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE plans (id bigint PRIMARY KEY);
       CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint REFERENCES members(id), deleted_at timestamptz);
       CREATE INDEX payments_live ON payments (member_id) WHERE deleted_at IS NULL;
       CREATE TABLE memberships (id bigint PRIMARY KEY, plan_id bigint REFERENCES plans(id), member_id bigint);
       CREATE INDEX ON memberships (member_id, plan_id);
       INSERT INTO members SELECT g FROM generate_series(1, 1000) g;
       INSERT INTO payments SELECT g, 1 + g % 1000 FROM generate_series(1, 120000) g;
       INSERT INTO plans VALUES (1);
       INSERT INTO memberships SELECT g, 1, g FROM generate_series(1, 50) g;`,
      'fk_bad',
    );
    for (let i = 1; i <= 3; i++) await fixtures.exec(db, 'SELECT id FROM payments WHERE member_id = $1', [i]);
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.id, f.severity]), [
      ['unindexed-foreign-key:public.payments:member_id', 'high'],
      ['unindexed-foreign-key:public.memberships:plan_id', 'info'],
    ]);
    const payments = found[0]!;
    assert.equal(payments.evidence.tableRows, 120000);
    assert.equal(payments.evidence.filteringStatements, 1);
    assert.equal(payments.statements?.[0]?.calls, 3);
    assert.match(payments.migrations?.[0]?.up ?? '', /CREATE INDEX CONCURRENTLY IF NOT EXISTS payments_member_id_idx ON public\.payments \(member_id\);/);
    assert.equal(payments.migrations?.[0]?.transactional, false);
  });
});
