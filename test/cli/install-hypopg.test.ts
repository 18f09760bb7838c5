import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ADVISOR_SCHEMA as SCHEMA, run } from '../../analyzers/performance/_fixtures.js';
import { runCli } from '../harness/cli.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import { useSystemServer } from '../harness/system-server.js';

const RULE = 'missing-index';
const system = useSystemServer();

/** --install-hypopg and the advisor's degradations, through the CLI against real servers. */
describe('--install-hypopg on the system PostgreSQL 15', { skip: system.skip }, () => {
  it('--install-hypopg creates the extension (the one write pgrescue makes), so the advice is proven', async () => {
    const url = await databaseWith(system.server(), SCHEMA.replace('CREATE EXTENSION IF NOT EXISTS hypopg;', ''), 'advisor_install');
    await run(url, 'SELECT id, amount_cents FROM payments WHERE member_id = $1 ORDER BY paid_at DESC LIMIT 10', (i) => [i]);
    const without = JSON.parse((await runCli(['scan', '--url', url, '--format', 'json', '--rules', RULE])).stdout);
    assert.equal(without.capabilities.hypopg, false, 'never installed unasked');
    const r = await runCli(['scan', '--url', url, '--format', 'json', '--rules', RULE, '--install-hypopg']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.capabilities.hypopg, true);
    assert.equal(report.findings[0]?.evidence.verified, true);
  });

});

describe('the advisor on embedded PostgreSQL 18 (no HypoPG package)', () => {
  const server = useEmbeddedServer();

  it('--install-hypopg on a server without the package warns and stays unverified', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g FROM generate_series(1, 5000) g;', 'advisor_noinstall');
    await run(url, 'SELECT id FROM t WHERE a = $1', (i) => [i]);
    const report = JSON.parse((await runCli(['scan', '--url', url, '--format', 'json', '--install-hypopg'])).stdout);
    assert.equal(report.capabilities.hypopg, false);
    assert.match(report.warnings.find((w: { code: string }) => w.code === 'hypopg-install-failed')?.message ?? '', /CREATE EXTENSION hypopg failed/);
  });

  it('is skipped without pg_stat_statements', async () => {
    const url = await server().createDatabase('advisor_nopgss');
    await execSql(url, 'CREATE TABLE t (id int PRIMARY KEY, a int); INSERT INTO t SELECT g, g FROM generate_series(1, 5000) g;');
    assert.deepEqual(findingsOf(await scanDatabase(url), RULE), []);
  });
});
