import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT, runCli } from '../harness/cli.js';

function portOpen(port: number): Promise<boolean> {
  return import('node:net').then(
    ({ connect }) =>
      new Promise((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve(true);
        });
        socket.once('error', () => resolve(false));
      }),
  );
}

describe('pgrescue demo', () => {
  it('starts an embedded server, loads the community, runs the workload, scans, verifies and applies the safe set, measures, and cleans up', async () => {
    const r = await runCli(['demo', '--requests', '15', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.database.name, 'community');
    assert.ok(report.statements.length >= 5, 'the workload filled pg_stat_statements');
    assert.ok(report.findings.some((f: { id: string }) => f.id === 'unindexed-foreign-key:public.comments:post_id'));
    // Then to the end: the safe set verified on a copy (no file fails, no statement loses rows), applied, measured.
    const verified = /verified on a TEMPLATE copy: (\d+)\/(\d+) files pass, workload replayed \((\d+) statements, 0 lose rows: true\), downs restore the schema: true/.exec(r.stderr);
    assert.ok(verified, r.stderr);
    assert.equal(verified[1], verified[2], 'every safe file passes verify');
    const db = /total DB time\s+(\S+ \S+) →\s+(\S+ \S+)/.exec(r.stderr);
    assert.ok(db, 'the before/after is printed');
    const findings = /findings: (\d+) → (\d+) \((\d+) resolved/.exec(r.stderr);
    assert.ok(findings && Number(findings[3]) > 10, 'the safe set resolves findings');
    const port = Number(/port (\d+)/.exec(r.stderr)?.[1]);
    assert.ok(port > 0);
    assert.equal(await portOpen(port), false, 'the demo server is stopped');
  });

  it('stops the server and removes its files on Ctrl-C', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, 'src/cli/main.ts'), 'demo', '--requests', '100000'], {
      cwd: PROJECT_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const ready = new Promise<number>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        const m = /PostgreSQL ready on port (\d+)/.exec(stderr);
        if (m && /demo community database loaded/.test(stderr)) resolve(Number(m[1]));
      });
    });
    const port = await ready;
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.equal(await portOpen(port), false, 'server stopped');
    const dir = /data directory (\S+)/.exec(stderr)?.[1];
    if (dir) assert.equal(existsSync(dir), false);
  });
});
