import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../harness/cli.js';
import { databaseWith, useEmbeddedServer } from '../harness/server.js';

// A Supabase-like database: the platform's schemas (a deliberate deny-all table in auth, storage) and a migration
// tool's bookkeeping table beside the app's own table, each with a defect a rule reports.
const PLATFORM = `
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY, email text, created_at timestamp);
CREATE TABLE auth.refresh_tokens (id bigserial PRIMARY KEY, token text, user_id uuid REFERENCES auth.users(id));
ALTER TABLE auth.refresh_tokens ENABLE ROW LEVEL SECURITY;
CREATE SCHEMA storage;
CREATE TABLE storage.objects (id uuid PRIMARY KEY, owner uuid, created_at timestamp);
CREATE TABLE public._prisma_migrations (id text PRIMARY KEY, finished_at timestamp);
CREATE TABLE public.events (id bigserial PRIMARY KEY, starts_at timestamp);
`;

interface Report {
  findings: { id: string; object: { schema: string; table: string } }[];
  warnings: { code: string; message: string }[];
}

describe('objects the user does not manage', () => {
  const server = useEmbeddedServer();

  it('are left out by default with one warning that names who manages them; --include-platform shows them', async () => {
    const url = await databaseWith(server(), PLATFORM, 'platform');
    const r = await runCli(['scan', '--url', url, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const tables = report.findings.map((f) => `${f.object.schema}.${f.object.table}`);
    assert.ok(tables.includes('public.events'), 'the app\'s own table is reported');
    assert.deepEqual(tables.filter((t) => /^(auth|storage)\.|_prisma_migrations/.test(t)), []);
    const w = report.warnings.find((x) => x.code === 'platform-findings-left-out');
    assert.ok(w, JSON.stringify(report.warnings));
    assert.match(w.message, /Supabase Auth \(GoTrue\)/);
    assert.match(w.message, /Prisma/);
    assert.match(w.message, /--include-platform shows them/);

    const all = JSON.parse((await runCli(['scan', '--url', url, '--format', 'json', '--include-platform'])).stdout) as Report;
    const shown = all.findings.map((f) => `${f.object.schema}.${f.object.table}`);
    for (const t of ['auth.refresh_tokens', 'storage.objects', 'public._prisma_migrations']) assert.ok(shown.includes(t), `${t} with --include-platform`);
    assert.ok(!all.warnings.some((x) => x.code === 'platform-findings-left-out'));
  });
});
