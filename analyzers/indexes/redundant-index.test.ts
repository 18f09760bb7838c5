import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { databaseWith } from '../../test/harness/server.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'redundant-index';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for unique prefixes, partial indexes, different leading columns or order', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint, community_id bigint, status text, ended_at timestamptz);
       CREATE UNIQUE INDEX memberships_member_unique ON memberships (member_id);
       CREATE INDEX memberships_member_status ON memberships (member_id, status);
       CREATE INDEX memberships_active ON memberships (community_id) WHERE ended_at IS NULL;
       CREATE INDEX memberships_community_status ON memberships (community_id, status);
       CREATE INDEX memberships_status_desc ON memberships (status DESC);
       CREATE INDEX memberships_status_community ON memberships (status, community_id);`,
      'red_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports a leading prefix of a longer index and names the covering one', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE posts (id bigint PRIMARY KEY, community_id bigint, created_at timestamptz, deleted_at timestamptz);
       CREATE INDEX posts_community ON posts (community_id);
       CREATE INDEX posts_community_created ON posts (community_id, created_at);
       CREATE INDEX posts_live_community ON posts (community_id) WHERE deleted_at IS NULL;
       CREATE INDEX posts_live_community_created ON posts (community_id, created_at) WHERE deleted_at IS NULL;`,
      'red_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.index, f.evidence.coveredBy]), [
      ['posts_community', 'posts_community_created'],
      ['posts_live_community', 'posts_live_community_created'],
    ]);
    assert.match(found[0]!.remediation, /Check that no plan depends/);
  });
});
