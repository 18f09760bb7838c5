import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { loadDemoDatabase } from '../../src/demo/demo-database.js';
import { runDemoWorkload } from '../../src/demo/demo-workload.js';
import { withoutGuard } from '../../src/migrate/decision.js';
import type { VerifyResult } from '../../src/model/verify.js';
import { runCli } from '../harness/cli.js';
import { execSql, freshName, useEmbeddedServer } from '../harness/server.js';

const ROLE = `community_app_${process.pid}`;

/**
 * The demo community, used by the app through a role of its own (row-level security applies to it): login by
 * email before sign-in, the dashboard through memberships, a renewal job over every member's memberships, a
 * receipt by id. The policies pgrescue proposes, applied as proposed, must not make any of those statements
 * return fewer rows for the member who issues it — verify replays each one signed in as that member.
 */
describe('row-level security derived from the workload, proven by verify (real PostgreSQL)', () => {
  const server = useEmbeddedServer();
  let source = '';
  let snapshot = '';
  let work = '';
  let config = '';

  async function scratch(): Promise<string> {
    const name = freshName('rls_scratch');
    await execSql(server().url('postgres'), `CREATE DATABASE ${name} TEMPLATE ${new URL(source).pathname.slice(1)}`);
    return server().url(name);
  }

  before(async () => {
    source = await server().createDatabase(freshName('rls_src'));
    await loadDemoDatabase(source);
    await execSql(source, `DO $$ BEGIN CREATE ROLE ${ROLE} LOGIN PASSWORD 'app'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
      GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ROLE};
      GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${ROLE};
      SELECT pg_stat_statements_reset();`);
    const app = new URL(source);
    app.username = ROLE;
    app.password = 'app';
    await runDemoWorkload(app.toString(), { requests: 60 });
    work = await mkdtemp(join(tmpdir(), 'pgrescue-rls-workload-'));
    snapshot = join(work, 'before.json');
    config = join(work, 'pgrescue.config.json');
    await writeFile(config, JSON.stringify({ appRole: ROLE }));
    const r = await runCli(['snapshot', '--url', source, '--out', snapshot]);
    assert.equal(r.code, 0, r.stderr);
  });

  it('the proposed policies, applied as proposed, keep every captured statement\'s rows for the member who issues it', async () => {
    const dir = join(work, 'rls');
    const m = await runCli(['migrate', '--snapshot', snapshot, '--tool', 'plain', '--out', dir, '--rules', 'rls-missing', '--include', 'decision', '--config', config]);
    assert.equal(m.code, 0, m.stderr);
    const ups = (await readdir(dir)).filter((f) => f.endsWith('.up.sql'));
    const rls = ups.filter((f) => f.includes('enable_rls'));
    assert.ok(rls.length >= 5, 'a template per owner-scoped table');
    const communities = await readFile(join(dir, rls.find((f) => f.includes('enable_rls_communities'))!), 'utf8');
    assert.match(communities, /keeps its rows \(through memberships\.member_id\)/, 'the dashboard reaches communities through memberships');
    assert.match(communities, /EXISTS \(SELECT 1 FROM public\.memberships m WHERE m\.community_id = public\.communities\.id AND m\.member_id = /);
    const members = await readFile(join(dir, rls.find((f) => f.includes('enable_rls_members'))!), 'utf8');
    assert.match(members, /runs before sign-in \(a lookup by email\)/);
    assert.match(members, /SECURITY DEFINER/);
    const memberships = await readFile(join(dir, rls.find((f) => f.includes('enable_rls_memberships'))!), 'utf8');
    assert.match(memberships, /reads many members' rows/, 'the renewal job is named');
    // As proposed: the guard lines go, nothing else changes.
    for (const f of rls) await writeFile(join(dir, f), withoutGuard(await readFile(join(dir, f), 'utf8')));
    const v = await runCli(['verify', '--url', await scratch(), '--scratch', '--migrations', dir, '--snapshot', snapshot, '--format', 'json']);
    const result = JSON.parse(v.stdout) as VerifyResult;
    assert.equal(result.role, ROLE);
    const losing = result.files.flatMap((f) => f.lostRows.map((s) => `${f.file}: ${s.query}`));
    const broken = result.files.flatMap((f) => f.broken.map((s) => `${f.file}: ${s.query}: ${s.error}`));
    assert.deepEqual(losing, []);
    assert.deepEqual(broken, []);
    assert.ok(result.replay.executed >= 5, 'the member actions ran with sampled parameters');
    assert.equal(v.code, 0, v.stdout);
  });

  it('the owner-only policy guessed from names alone would hide the dashboard: verify names that file', async () => {
    const dir = await mkdtemp(join(work, 'guessed-'));
    const me = "(select nullif(current_setting('app.user_id', true), '')::bigint)";
    await writeFile(join(dir, '001_communities_owner.up.sql'), `BEGIN;\nCREATE POLICY communities_owner_all ON public.communities FOR ALL USING (owner_id = ${me});\nALTER TABLE public.communities ENABLE ROW LEVEL SECURITY;\nCOMMIT;\n`);
    await writeFile(join(dir, '001_communities_owner.down.sql'), 'BEGIN;\nDROP POLICY communities_owner_all ON public.communities;\nALTER TABLE public.communities DISABLE ROW LEVEL SECURITY;\nCOMMIT;\n');
    const v = await runCli(['verify', '--url', await scratch(), '--scratch', '--migrations', dir, '--snapshot', snapshot, '--format', 'json']);
    assert.equal(v.code, 1, v.stdout);
    const file = (JSON.parse(v.stdout) as VerifyResult).files[0]!;
    assert.ok(file.verdicts.includes('loses-rows'));
    assert.ok(file.lostRows.some((s) => /JOIN communities/.test(s.query)), 'the member dashboard loses its communities');
  });
});
