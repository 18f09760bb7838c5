import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'missing-not-null';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for NOT NULL keys or keys that hold NULLs', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE posts (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), editor_id bigint REFERENCES members(id));
       INSERT INTO members SELECT generate_series(1, 5);
       INSERT INTO posts SELECT g, 1 + g % 5, CASE WHEN g % 2 = 0 THEN 1 END FROM generate_series(1, 10) g;`,
      'nn_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports nullable foreign-key and owner columns without NULLs', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint REFERENCES members(id), account_id bigint);
       INSERT INTO members SELECT generate_series(1, 5);
       INSERT INTO payments SELECT g, 1 + g % 5, g FROM generate_series(1, 10) g;`,
      'nn_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.columns?.[0], f.evidence.rows, f.severity]).sort(), [
      ['account_id', 10, 'medium'],
      ['member_id', 10, 'medium'],
    ]);
  });
});
