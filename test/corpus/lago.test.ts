import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureParser } from '../../src/sql/parser.js';
import { applyFiles } from '../harness/apply-sql.js';
import { runCli } from '../harness/cli.js';
import { corpusMissing, loadCorpus } from '../harness/corpus.js';
import { execSql, useEmbeddedServer } from '../harness/server.js';

before(ensureParser);

/**
 * Lago (a real multi-tenant billing app, Rails, uuid keys): its tenant is organization_id and its members reach an
 * organization through memberships(user_id, organization_id, revoked_at); its customers are billing data, not
 * people who sign in; memberships are unique per live row by a partial unique index.
 */
describe('the lago schema: decisions it must not take for its owners', { skip: corpusMissing('lago') ?? false }, () => {
  const server = useEmbeddedServer();
  let url = '';
  let dir = '';
  let ups: string[] = [];

  before(async () => {
    url = await loadCorpus(server(), 'lago');
    // The case: two users whose emails differ only in case, and a member who left an organization and
    // joined again (a revoked and a live membership: the partial unique index allows exactly that).
    await execSql(url, `INSERT INTO public.users (id, email, created_at, updated_at) VALUES
        ('00000000-0000-0000-0000-000000000001', 'ann@example.com', now(), now()), ('00000000-0000-0000-0000-000000000002', 'Ann@Example.com', now(), now());
      INSERT INTO public.organizations (id, name, created_at, updated_at, hmac_key, slug) VALUES ('00000000-0000-0000-0000-0000000000aa', 'acme', now(), now(), 'k', 'acme');
      INSERT INTO public.memberships (organization_id, user_id, created_at, updated_at, revoked_at) VALUES
        ('00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-000000000001', now(), now(), now()),
        ('00000000-0000-0000-0000-0000000000aa', '00000000-0000-0000-0000-000000000001', now(), now(), NULL);
      ANALYZE;`);
    dir = await mkdtemp(join(tmpdir(), 'pgrescue-lago-'));
    const r = await runCli(['migrate', '--url', url, '--tool', 'plain', '--out', dir, '--include', 'review,decision']);
    assert.equal(r.code, 0, r.stderr);
    ups = (await readdir(dir)).filter((f) => f.endsWith('.up.sql')).sort().map((f) => join(dir, f));
  });

  it('row-level security reaches an organization through memberships, never by comparing its id with the user id', async () => {
    const rls = ups.filter((f) => f.includes('enable_rls_'));
    assert.ok(rls.length > 100);
    for (const f of rls) {
      const text = await readFile(f, 'utf8');
      assert.doesNotMatch(text, /(organization_id|customer_id|owner_id) = \(select nullif\(current_setting/, `${f} compares a tenant or a billing customer with the member`);
    }
    const invoices = await readFile(rls.find((f) => f.includes('enable_rls_invoices.'))!, 'utf8');
    assert.match(invoices, /FROM public\.memberships tm WHERE tm\.organization_id = public\.invoices\.organization_id AND tm\.user_id = .* AND tm\.revoked_at IS NULL/);
  });

  it('the memberships pair is left alone (a partial unique index enforces it for live rows); the decision templates refuse to run unedited', async () => {
    assert.ok(!ups.some((f) => /dedupe_memberships|unique.*memberships_user_id_organization_id/.test(f)));
    assert.ok(ups.some((f) => /dedupe_users_lower_email/.test(f)), 'the case-duplicate users get a dedupe');
    const decisions = ups.filter((f) => /enable_rls_(invoices|memberships|users)\.|dedupe_/.test(f)).slice(0, 6);
    assert.ok(decisions.length >= 4);
    for (const f of decisions) {
      assert.match(await readFile(f, 'utf8'), /^-- risk: decision /m);
      await assert.rejects(applyFiles(url, [f]), /pgrescue: decision required/, `${f} stops before changing anything`);
    }
  });
});
