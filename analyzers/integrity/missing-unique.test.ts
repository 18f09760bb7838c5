import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'missing-unique';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('a partial unique index is the app\'s rule: respected, never duplicated by a full one or a dedupe', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL, deleted_at timestamptz);
       CREATE UNIQUE INDEX members_live_email ON members (lower(email)) WHERE deleted_at IS NULL;
       CREATE TABLE communities (id bigint PRIMARY KEY);
       CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), community_id bigint NOT NULL REFERENCES communities(id), revoked_at timestamptz);
       CREATE UNIQUE INDEX one_live_membership ON memberships (member_id, community_id) WHERE revoked_at IS NULL;
       INSERT INTO members VALUES (1, 'a@x.io', NULL), (2, 'A@x.io', now());
       INSERT INTO communities VALUES (1);
       INSERT INTO memberships VALUES (1, 1, 1, now()), (2, 1, 1, NULL);`,
      'partial_unique',
    );
    const report = await fixtures.scan(db, [RULE]);
    assert.deepEqual(findingsOf(report, RULE).map((f) => f.id), [], 'the revoked membership and the deleted member are allowed twins');
  });

  it('a lower(email) unique index, unique slugs/tokens and a composite unique pair satisfy it', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL);
       CREATE UNIQUE INDEX members_email_ci ON members (lower(email));
       CREATE TABLE communities (id bigint PRIMARY KEY, slug text UNIQUE);
       CREATE TABLE invites (id bigint PRIMARY KEY, token text NOT NULL UNIQUE, stripe_customer_id text UNIQUE);
       CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint REFERENCES members(id), community_id bigint REFERENCES communities(id), UNIQUE (community_id, member_id));`,
      'uq_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('counts case-insensitive email duplicates and duplicate membership pairs exactly', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL UNIQUE);
       CREATE TABLE communities (id bigint PRIMARY KEY, slug text);
       CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint REFERENCES members(id), community_id bigint REFERENCES communities(id), status text);
       INSERT INTO members SELECT g, 'm' || g || '@x.io' FROM generate_series(1, 30) g;
       INSERT INTO members VALUES (31, 'M1@X.io'), (32, 'm2@X.IO'), (33, 'M2@x.io');
       INSERT INTO communities SELECT g, 'c' || g FROM generate_series(1, 3) g;
       INSERT INTO memberships SELECT g, 1 + (g - 1) % 30, 1 + (g - 1) / 30, 'active' FROM generate_series(1, 60) g;
       INSERT INTO memberships VALUES (61, 2, 1, 'active');`,
      'uq_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.id, f.evidence.duplicateGroups, f.evidence.duplicateRows]).sort(), [
      ['missing-unique:public.communities:slug', 0, 0],
      ['missing-unique:public.members:lower(email)', 2, 5],
      ['missing-unique:public.memberships:member_id,community_id', 1, 2],
    ]);
    const email = found.find((f) => f.object.table === 'members')!;
    assert.equal(email.severity, 'high');
    assert.match(email.message, /case-sensitive/);
  });
});
