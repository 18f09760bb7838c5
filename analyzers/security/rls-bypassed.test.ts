import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ANALYZERS } from '../index.js';
import { analyze } from '../../src/engine/run.js';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { asRole, runAs, securitySql } from './_fixtures.js';

const RULE = 'rls-bypassed';
const NOTES = `CREATE TABLE notes (id bigint PRIMARY KEY, member_id bigint NOT NULL, body text);
  ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
  CREATE POLICY own ON notes USING (member_id = nullif(current_setting('app.user_id', true), '')::bigint);
  ALTER TABLE notes OWNER TO app_owner;
  GRANT SELECT ON notes TO app_user;`;

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when the app role is a non-owner, or the table is FORCEd', async () => {
    const db = await fixtures.databaseWith(securitySql(`${NOTES} CREATE TABLE forced (id int PRIMARY KEY, member_id int); ALTER TABLE forced ENABLE ROW LEVEL SECURITY; ALTER TABLE forced FORCE ROW LEVEL SECURITY; CREATE POLICY p ON forced USING (member_id = 1); ALTER TABLE forced OWNER TO app_owner;`), 'byp_ok');
    await fixtures.live(db, (url) => runAs(asRole(url, 'app_user', 'app'), [['SELECT body FROM notes WHERE id = $1', [1]]]));
    const snap = await fixtures.snapshot(db);
    // (the harness itself runs as the superuser postgres, which is reported, rightly, and left out here)
    assert.deepEqual(findingsOf(analyze(snap, ANALYZERS, { rules: [RULE] }), RULE).filter((f) => f.object.role !== 'postgres'), []);
    assert.deepEqual(findingsOf(analyze(snap, ANALYZERS, { rules: [RULE], config: { options: {}, ignore: [], appRole: 'app_user' } }), RULE), []);
    // The owner of a FORCEd table is subject to its policies: only the unforced table is reported for it.
    const asOwner = findingsOf(analyze(snap, ANALYZERS, { rules: [RULE], config: { options: {}, ignore: [], appRole: 'app_owner' } }), RULE);
    assert.deepEqual(asOwner.map((f) => f.object.table), ['notes']);
  });

  it('reports the owner without FORCE, a superuser and a BYPASSRLS role, and FORCEs it for the owner', async () => {
    const db = await fixtures.databaseWith(securitySql(`${NOTES} DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'service_role') THEN CREATE ROLE service_role LOGIN BYPASSRLS PASSWORD 'svc'; END IF; END $$; GRANT SELECT ON notes TO service_role;`), 'byp_bad');
    await fixtures.live(db, async (url) => {
      await runAs(asRole(url, 'app_owner', 'owner'), [['SELECT body FROM notes WHERE id = $1', [1]]]);
      await runAs(asRole(url, 'service_role', 'svc'), [['SELECT body FROM notes WHERE member_id = $1', [1]]]);
    });
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    const byRole = Object.fromEntries(found.map((f) => [f.object.role, f.evidence.bypass]));
    assert.equal(byRole.app_owner, 'owner');
    assert.equal(byRole.service_role, 'bypassrls');
    assert.equal(byRole.postgres, 'superuser');
    const owner = found.find((f) => f.object.role === 'app_owner')!;
    assert.match(owner.migrations?.[0]?.up ?? '', /ALTER TABLE public\.notes FORCE ROW LEVEL SECURITY;/);
  });
});
