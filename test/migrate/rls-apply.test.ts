import { withoutGuard } from '../../src/migrate/decision.js';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import pg from 'pg';
import { asRole, securityDatabase } from '../../analyzers/security/_fixtures.js';
import { applyFiles } from '../harness/apply-sql.js';
import { runCli } from '../harness/cli.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { useEmbeddedServer } from '../harness/server.js';
import { squawk } from '../harness/squawk.js';

const RULE = 'rls-missing';

/** Verify on a real server: the rls-missing migration, applied, isolates members from each other. */
describe('the RLS migration applied to a real database', () => {
  const server = useEmbeddedServer();

  it('its migration makes one member unable to read another member\'s rows, while their own stay readable', async () => {
    const url = await securityDatabase(server(), '', 'rlsm_apply');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-rls-'));
    const config = join(dir, 'pgrescue.config.json');
    await writeFile(config, JSON.stringify({ appRole: 'app_user' }));
    const safeOnly = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', join(dir, 'safe'), '--rules', RULE, '--config', config]);
    assert.equal(safeOnly.code, 0, safeOnly.stderr);
    assert.ok(!(await readdir(join(dir, 'safe'))).some((f) => f.includes('enable_rls')), 'row-level security is a decision: never written by default');
    const r = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', join(dir, 'm'), '--rules', RULE, '--config', config, '--include', 'decision']);
    assert.equal(r.code, 0, r.stderr);
    const files = (await readdir(join(dir, 'm'))).sort().map((f) => join(dir, 'm', f));
    assert.deepEqual(squawk(files).map((v) => `${v.file}:${v.line} ${v.rule_name}`), []);
    const ups = files.filter((f) => f.endsWith('.up.sql'));
    const policies = ups.filter((f) => f.includes('enable_rls'));
    assert.ok(policies.length > 0);
    for (const f of policies) {
      const text = await readFile(f, 'utf8');
      assert.match(text, /^-- Evidence:$/m, 'the template shows the evidence');
      assert.match(text, /captured statements? read /);
      await assert.rejects(applyFiles(url, [f]), /pgrescue: decision required/, 'unedited, the template stops');
      await writeFile(f, withoutGuard(text));
    }
    await applyFiles(url, ups);
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
