import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { runCli } from '../harness/cli.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';

const DEFECTIVE = `
CREATE TABLE members (id bigserial PRIMARY KEY, email text NOT NULL);
CREATE TABLE memberships (id bigserial PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), status text NOT NULL);
INSERT INTO members (email) SELECT 'm' || g FROM generate_series(1, 2000) g;
INSERT INTO memberships (member_id, status) SELECT 1 + g % 2000, 'active' FROM generate_series(1, 5000) g;
`;

describe('pgrescue scan and snapshot on a real server', () => {
  const server = useEmbeddedServer();

  it('prints the JSON report of the contract, schemaVersion 1', async () => {
    const url = await databaseWith(server(), DEFECTIVE, 'scanjson');
    for (let i = 1; i <= 20; i++) await execSql(url, 'SELECT id FROM memberships WHERE member_id = $1', [i]);
    const r = await runCli(['scan', '--url', url, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.schemaVersion, 1);
    assert.deepEqual(Object.keys(report).sort(), ['capabilities', 'database', 'findings', 'fixFirst', 'generatedAt', 'indexAdvisor', 'ownership', 'schemaVersion', 'statements', 'summary', 'tool', 'warnings']);
    assert.equal(report.indexAdvisor.engine, 'heuristic');
    assert.equal(typeof report.indexAdvisor.window.minutes, 'number');
    assert.deepEqual(report.ownership.find((o: { table: string }) => o.table === 'public.memberships')?.ownerColumns, ['member_id (owner: foreign key to public.members)']);
    assert.equal(report.tool.name, 'pgrescue');
    assert.match(report.database.serverVersion, /^18/);
    assert.equal(typeof report.database.serverVersionNum, 'number');
    assert.equal(report.capabilities.pgStatStatements, true);
    assert.deepEqual(Object.keys(report.summary.bySeverity), ['critical', 'high', 'medium', 'low', 'info']);
    assert.deepEqual(Object.keys(report.summary.byCategory), ['performance', 'integrity', 'security']);
    const stmt = report.statements.find((s: { query: string }) => s.query.includes('FROM memberships WHERE member_id'));
    assert.ok(stmt);
    assert.deepEqual(Object.keys(stmt).sort(), ['calls', 'indexAdvice', 'meanMs', 'p95EstimateMs', 'query', 'queryid', 'rows', 'totalMs']);
    assert.equal(typeof stmt.indexAdvice.outcome, 'string');
    assert.ok(stmt.indexAdvice.reason.length > 0);
    assert.equal(stmt.calls, 20);
    const f = report.findings.find((x: { rule: string }) => x.rule === 'unindexed-foreign-key');
    assert.ok(f);
    assert.equal(f.id, 'unindexed-foreign-key:public.memberships:member_id');
    for (const key of ['id', 'rule', 'category', 'severity', 'title', 'message', 'object', 'evidence', 'remediation', 'migration']) assert.ok(key in f, key);
    assert.deepEqual(Object.keys(f.migration).sort(), ['down', 'lock', 'name', 'risk', 'transactional', 'up']);
    assert.equal(f.migration.risk, 'safe', 'a concurrent index is safe');
    assert.equal(f.statements[0].calls, 20);
    // Statement text is normalized: no literal reaches the report's statements.
    assert.doesNotMatch(JSON.stringify([report.statements, report.findings.map((x: { statements?: unknown }) => x.statements)]), /'active'|'m\d+'/);
  });

  it('--fail-on decides the exit code; --out writes the file atomically', async () => {
    const url = await databaseWith(server(), DEFECTIVE, 'failon');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-out-'));
    const out = join(dir, 'report.md');
    const low = await runCli(['scan', '--url', url, '--fail-on', 'info', '--format', 'markdown', '--out', out]);
    assert.equal(low.code, 1);
    assert.equal(low.stdout, '');
    const md = await readFile(out, 'utf8');
    assert.match(md, /^# pgrescue report/);
    assert.match(md, /unindexed-foreign-key/);
    assert.deepEqual(await readdir(dir), ['report.md'], 'no temp file left behind');
    const high = await runCli(['scan', '--url', url, '--fail-on', 'critical']);
    assert.equal(high.code, 0, high.stderr);
    assert.match(high.stdout, /unindexed-foreign-key/);
    const bad = await runCli(['scan', '--url', url, '--fail-on', 'severe']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --fail-on "severe"/);
  });

  it('a snapshot scans offline to the same findings', async () => {
    const url = await databaseWith(server(), DEFECTIVE, 'snap');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-snap-'));
    const file = join(dir, 'snap.json');
    const snap = await runCli(['snapshot', '--url', url, '--out', file]);
    assert.equal(snap.code, 0, snap.stderr);
    const live = JSON.parse((await runCli(['scan', '--url', url, '--format', 'json'])).stdout);
    const offline = await runCli(['scan', '--snapshot', file, '--format', 'json'], { PGHOST: '192.0.2.1', PGPORT: '1' });
    assert.equal(offline.code, 0, offline.stderr);
    const report = JSON.parse(offline.stdout);
    assert.deepEqual(report.findings.map((f: { id: string }) => f.id), live.findings.map((f: { id: string }) => f.id));
  });

  it('a config file sets rule options and ignores findings; a bad one is one line, exit 2', async () => {
    const url = await databaseWith(server(), DEFECTIVE, 'config');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-config-'));
    await writeFile(join(dir, 'pgrescue.config.json'), JSON.stringify({ options: { 'unindexed-foreign-key.smallTableRows': 10000 }, ignore: ['missing-primary-key'] }));
    const r = await runCli(['scan', '--url', url, '--format', 'json'], {}, dir);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const fk = report.findings.find((f: { rule: string }) => f.rule === 'unindexed-foreign-key');
    assert.equal(fk.severity, 'info', 'the option raised the small-table floor above 5,000 rows');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ optoins: {} }));
    const b = await runCli(['scan', '--url', url, '--config', bad]);
    assert.equal(b.code, 2);
    assert.equal(b.stderr.trim().split('\n').length, 1);
    assert.match(b.stderr, /unknown key "optoins"/);
    // A misspelt option or rule is named with the closest known one, never silently ignored.
    for (const [config, message] of [
      [{ options: { 'unused-index.minStatDays': 3 } }, /unknown option "unused-index\.minStatDays" \(did you mean "unused-index\.minStatsDays"\?\)/],
      [{ options: { 'slow-query.p95BudgetMs': '500' } }, /option "slow-query\.p95BudgetMs" must be a number/],
      [{ ignore: ['unused-indexes:public.t:i'] }, /ignore entry "unused-indexes:public\.t:i" names no rule \(did you mean "unused-index"\?\)/],
    ] as const) {
      await writeFile(bad, JSON.stringify(config));
      const c = await runCli(['scan', '--url', url, '--config', bad]);
      assert.equal(c.code, 2, c.stderr);
      assert.equal(c.stderr.trim().split('\n').length, 1);
      assert.match(c.stderr, message);
    }
  });

  it('--schema limits the scan and rejects unknown schemas in one line', async () => {
    const url = await databaseWith(server(), `CREATE SCHEMA billing; CREATE TABLE billing.a (id int PRIMARY KEY); CREATE TABLE billing.b (a_id int REFERENCES billing.a(id)); ${DEFECTIVE}`, 'schemas');
    const r = await runCli(['scan', '--url', url, '--format', 'json', '--schema', 'billing']);
    const report = JSON.parse(r.stdout);
    assert.deepEqual([...new Set(report.findings.map((f: { object: { schema: string } }) => f.object.schema))], ['billing']);
    const bad = await runCli(['scan', '--url', url, '--schema', 'nope']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.match(bad.stderr, /schema "nope" not found/);
  });
});

describe('pgrescue CLI without a database', () => {
  it('a misspelt command is named, with the closest one, exit 2 (not taken as an argument of the default tui)', async () => {
    const r = await runCli(['scna', '--url', 'postgres://u:pw@127.0.0.1:1/db']);
    assert.equal(r.code, 2);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    assert.match(r.stderr, /unknown command "scna" \(did you mean "scan"\?\)/);
  });

  it('--version and --help describe the tool and every flag', async () => {
    const version = await runCli(['--version']);
    assert.equal(version.code, 0);
    assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    for (const cmd of ['scan', 'snapshot', 'demo']) assert.match(help.stdout, new RegExp(`\\b${cmd}\\b`));
    const scanHelp = await runCli(['scan', '--help']);
    for (const flag of ['--url', '--snapshot', '--format', '--out', '--fail-on', '--schema', '--rules', '--max-statements', '--statement-timeout']) {
      assert.ok(scanHelp.stdout.includes(flag), flag);
    }
    for (const a of ANALYZERS) assert.ok(scanHelp.stdout.includes(a.meta.id));
  });

  it('bad snapshot files are one line and exit 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-bad-'));
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, '{"hello": 1}');
    const notJson = join(dir, 'x.json');
    await writeFile(notJson, 'nope');
    for (const [file, pattern] of [
      [garbage, /not a pgrescue snapshot/],
      [notJson, /not valid JSON/],
      [join(dir, 'missing.json'), /no such file/],
    ] as const) {
      const r = await runCli(['scan', '--snapshot', file]);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, pattern);
    }
    // Flags are checked before connecting: no wait for a server that is not there.
    const zero = await runCli(['scan', '--url', 'postgres://u@192.0.2.1:5432/db', '--max-statements', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /^pgrescue: --max-statements must be a positive whole number, got "0"\n$/);
    const noConfig = await runCli(['scan', '--snapshot', garbage, '--config', join(dir, 'nope.json')]);
    assert.match(noConfig.stderr, /^pgrescue: cannot read config .*nope\.json: no such file\n$/);
    const unknownRule = await runCli(['scan', '--snapshot', garbage, '--rules', 'no-such-rule']);
    assert.equal(unknownRule.code, 2);
    assert.match(unknownRule.stderr, /unknown rule no-such-rule/);
  });
});
