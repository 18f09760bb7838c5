import assert from 'node:assert/strict';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { applyFiles } from '../../test/harness/apply-sql.js';
import { runCli } from '../../test/harness/cli.js';
import { findingsOf, scanDatabase } from '../../test/harness/scan.js';
import { useEmbeddedServer } from '../../test/harness/server.js';
import { squawk } from '../../test/harness/squawk.js';
import { asRole, securityDatabase } from './_fixtures.js';

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
  const server = useEmbeddedServer();

  it('reports nothing when owner-scoped tables have RLS (with policies, or deliberately none)', async () => {
    const url = await securityDatabase(
      server(),
      `DROP TABLE invoice_lines, invoices, payments, members CASCADE;
       CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint NOT NULL, amount_cents int);
       ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own ON payments USING (member_id = current_setting('app.user_id', true)::bigint);
       CREATE TABLE secrets_vault (id bigint PRIMARY KEY, owner_id bigint NOT NULL);
       ALTER TABLE secrets_vault ENABLE ROW LEVEL SECURITY;`,
      'rlsm_ok',
    );
    assert.deepEqual(findingsOf(await scanDatabase(url, [RULE]), RULE), []);
  });

  it('reports owner-scoped tables without RLS: critical when granted to Supabase API roles', async () => {
    const url = await securityDatabase(server(), SUPABASE, 'rlsm_bad');
    const found = findingsOf(await scanDatabase(url, [RULE]), RULE);
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

  it('its migration makes one member unable to read another member\'s rows, while their own stay readable', async () => {
    const url = await securityDatabase(server(), '', 'rlsm_apply');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-rls-'));
    const config = join(dir, 'pgrescue.config.json');
    await (await import('node:fs/promises')).writeFile(config, JSON.stringify({ appRole: 'app_user' }));
    const r = await runCli(['migrate', '--url', url, '--out', join(dir, 'm'), '--rules', RULE, '--config', config]);
    assert.equal(r.code, 0, r.stderr);
    const files = (await readdir(join(dir, 'm'))).sort().map((f) => join(dir, 'm', f));
    assert.deepEqual(squawk(files).map((v) => `${v.file}:${v.line} ${v.rule_name}`), []);
    await applyFiles(url, files.filter((f) => f.endsWith('.up.sql')));
    const app = new pg.Client({ connectionString: asRole(url, 'app_user', 'app') });
    await app.connect();
    try {
      await app.query('BEGIN');
      await app.query("SELECT set_config('app.user_id', '3', true)");
      const mine = await app.query<{ member_id: string }>('SELECT member_id FROM payments');
      assert.ok(mine.rows.length > 0, 'own rows stay readable');
      assert.ok(mine.rows.every((row) => Number(row.member_id) === 3), 'only own rows');
      assert.equal((await app.query('SELECT * FROM payments WHERE member_id = 4')).rows.length, 0, "another member's rows are hidden");
      assert.equal((await app.query('SELECT * FROM invoice_lines')).rows.every(() => true), true);
      const lines = await app.query<{ n: string }>('SELECT count(*) AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.member_id <> 3');
      assert.equal(Number(lines.rows[0]!.n), 0, 'rows scoped through a foreign-key path are hidden too');
      await assert.rejects(app.query('UPDATE payments SET member_id = 4 WHERE member_id = 3'), /row-level security/);
      await app.query('COMMIT');
      assert.equal((await app.query('SELECT * FROM payments')).rows.length, 0, 'no member id, no rows');
    } finally {
      await app.end();
    }
    assert.deepEqual(findingsOf(await scanDatabase(url, [RULE]), RULE), [], 'the finding is gone');
  });
});
