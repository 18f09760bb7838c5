import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'rls-no-policy';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when RLS tables have policies, or RLS is off', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE a (id int PRIMARY KEY, owner_id int); ALTER TABLE a ENABLE ROW LEVEL SECURITY; CREATE POLICY p ON a USING (owner_id = 1);
       CREATE TABLE b (id int PRIMARY KEY);`,
      'nopol_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports RLS without any policy as info, saying every non-owner query returns nothing', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE vault (id int PRIMARY KEY, owner_id int); ALTER TABLE vault ENABLE ROW LEVEL SECURITY;`, 'nopol_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.table, f.severity]), [['vault', 'info']]);
    assert.match(found[0]!.message, /returns no rows/);
  });
});
