import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { securitySql } from './_fixtures.js';

const RULE = 'rls-permissive-policy';
const AUTH = `CREATE SCHEMA auth; CREATE FUNCTION auth.uid() RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('app.user_id', true), '')::bigint $$;`;

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for owner policies evaluated once per statement, or public catalog tables', async () => {
    const db = await fixtures.databaseWith(securitySql(`${AUTH}
       ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own ON payments FOR ALL TO PUBLIC USING (member_id = (select auth.uid()));
       ALTER TABLE plans ENABLE ROW LEVEL SECURITY;
       CREATE POLICY everyone ON plans FOR SELECT USING (true);`), 'perm_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports USING (true) on owner data, policies that ignore the owner, and per-row auth.uid() calls', async () => {
    const db = await fixtures.databaseWith(securitySql(`${AUTH}
       ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
       CREATE POLICY anyone_reads ON payments FOR SELECT TO PUBLIC USING (true);
       ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
       CREATE POLICY by_amount ON invoices FOR UPDATE TO PUBLIC USING (id > 0);
       ALTER TABLE members ENABLE ROW LEVEL SECURITY;
       CREATE POLICY self ON members FOR SELECT USING (id = auth.uid());`), 'perm_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.policy, f.severity]).sort(), [
      ['anyone_reads', 'high'],
      ['by_amount', 'high'],
      ['self', 'low'],
    ]);
    assert.match(found.find((f) => f.object.policy === 'self')!.remediation, /\(select auth\.uid\(\)\)/);
  });
});
