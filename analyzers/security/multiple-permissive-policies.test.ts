import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'multiple-permissive-policies';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for one policy per command, or a restrictive one beside a permissive one', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE notes (id int PRIMARY KEY, owner_id int, published boolean);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
       CREATE POLICY read_own ON notes FOR SELECT USING (owner_id = 1);
       CREATE POLICY write_own ON notes FOR UPDATE USING (owner_id = 1);
       CREATE POLICY only_live ON notes AS RESTRICTIVE FOR SELECT USING (published);`, 'mpp_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports two permissive policies that both apply to SELECT (one FOR ALL), naming them', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE notes (id int PRIMARY KEY, owner_id int, published boolean);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
       CREATE POLICY read_published ON notes FOR SELECT USING (published);
       CREATE POLICY own_all ON notes FOR ALL USING (owner_id = 1);`, 'mpp_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.equal(found.length, 1);
    assert.match(found[0]!.message, /2 permissive policies for PUBLIC on SELECT \((read_published, own_all|own_all, read_published)\)/);
  });
});
