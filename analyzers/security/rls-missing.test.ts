import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { securitySql } from './_fixtures.js';

const RULE = 'rls-missing';
const SUPABASE = `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'anon') THEN CREATE ROLE anon NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'authenticated') THEN CREATE ROLE authenticated NOLOGIN; END IF;
END $$;
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE TABLE profiles (id uuid PRIMARY KEY, user_id uuid NOT NULL REFERENCES auth.users(id), bio text);
GRANT SELECT ON profiles TO anon, authenticated;
`;

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when owner-scoped tables have RLS (with policies, or deliberately none)', async () => {
    const db = await fixtures.databaseWith(
      securitySql(`DROP TABLE invoice_lines, invoices, payments, members CASCADE;
       CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint NOT NULL, amount_cents int);
       ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own ON payments USING (member_id = current_setting('app.user_id', true)::bigint);
       CREATE TABLE secrets_vault (id bigint PRIMARY KEY, owner_id bigint NOT NULL);
       ALTER TABLE secrets_vault ENABLE ROW LEVEL SECURITY;`),
      'rlsm_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports owner-scoped tables without RLS: critical when granted to Supabase API roles', async () => {
    const db = await fixtures.databaseWith(securitySql(SUPABASE), 'rlsm_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.table, f.severity]).sort(), [
      ['invoice_lines', 'medium'],
      ['invoices', 'medium'],
      ['members', 'medium'],
      ['payments', 'medium'],
      ['profiles', 'critical'],
    ]);
    const profiles = found.find((f) => f.object.table === 'profiles')!;
    assert.match(profiles.message, /anon, authenticated/);
    assert.match(profiles.migrations?.at(-1)?.up ?? '', /USING \(user_id = \(select auth\.uid\(\)\)\)/);
    const lines = found.find((f) => f.object.table === 'invoice_lines')!;
    assert.deepEqual(lines.evidence.ownerPath, ['invoice_id', 'public.invoices', 'member_id']);
  });
});
