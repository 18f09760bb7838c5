import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { securitySql } from './_fixtures.js';

const RULE = 'public-grant';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when only the app role has privileges, or PUBLIC reads a catalog table', async () => {
    const db = await fixtures.databaseWith(securitySql('GRANT SELECT ON plans TO PUBLIC;'), 'grant_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports personal or secret tables granted to PUBLIC or to API roles without RLS, with the REVOKE', async () => {
    const db = await fixtures.databaseWith(securitySql(`DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF; END $$;
       GRANT SELECT ON members TO PUBLIC;
       GRANT SELECT, UPDATE ON payments TO authenticated;`), 'grant_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.table, f.object.role, f.severity]).sort(), [
      ['members', 'PUBLIC', 'critical'],
      ['payments', 'authenticated', 'high'],
    ]);
    const members = found.find((f) => f.object.table === 'members')!;
    assert.match(members.message, /secret columns \(password_hash\)/);
    assert.match(members.migrations?.[0]?.up ?? '', /REVOKE SELECT ON public\.members FROM PUBLIC;/);
    assert.match(members.migrations?.[0]?.down ?? '', /GRANT SELECT ON public\.members TO PUBLIC;/);
  });
});
