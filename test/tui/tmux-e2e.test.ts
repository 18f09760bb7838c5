import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadDemoDatabase } from '../../src/demo/demo-database.js';
import { runDemoWorkload } from '../../src/demo/demo-workload.js';
import { PROJECT_ROOT } from '../harness/cli.js';
import { freshName, useEmbeddedServer } from '../harness/server.js';

const tmux = spawnSync('tmux', ['-V']).status === 0;
const session = `pgrescue-e2e-${process.pid}`;

function capture(): string {
  return execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
}

/** Type keys one at a time, as a person does: a burst would reach the app as one multi-character input. */
async function keys(...k: string[]): Promise<void> {
  for (const key of k) {
    execFileSync('tmux', ['send-keys', '-t', session, key]);
    await new Promise((r) => setTimeout(r, 150));
  }
}

async function until(pattern: RegExp, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < deadline) {
    screen = capture();
    if (pattern.test(screen)) return screen;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`screen never showed ${pattern}:\n${screen}`);
}

describe('the built binary in tmux against a real demo database', { skip: tmux ? false : 'tmux is not installed (apt-get install -y tmux)' }, () => {
  const server = useEmbeddedServer();

  it('navigates, opens a finding, selects it and writes the migration', async () => {
    execFileSync(process.execPath, [join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(PROJECT_ROOT, 'tsconfig.json')], { stdio: 'inherit' });
    const bin = join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
    assert.ok(existsSync(bin));
    const url = await server().createDatabase(freshName('tui'));
    await loadDemoDatabase(url);
    await runDemoWorkload(url, { requests: 15 });
    const out = join(await mkdtemp(join(tmpdir(), 'pgrescue-tui-')), 'migrations');
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '100', '-y', '30', `NO_COLOR=1 ${process.execPath} ${bin} tui --tool plain --url '${url}' --out '${out}'; echo "EXIT=$?"; sleep 60`]);
    try {
      let screen = await until(/findings/);
      assert.match(screen, /tui_\d+_\d+ · PostgreSQL 18\.\d+ · \d+ findings/);
      await keys('Tab');
      screen = await until(/Findings: \d+ · all findings/);
      await keys('j');
      await keys('j');
      await keys('Enter');
      screen = await until(/Fix: /);
      assert.match(screen, /Evidence/);
      await keys('Escape');
      await until(/Findings: \d+/);
      await keys('/');
      for (const ch of 'unindexed') await keys(ch);
      await keys('Enter');
      screen = await until(/"unindexed"/);
      await keys('Space');
      screen = await until(/\[x\]/);
      await keys('w');
      await until(/Directory: /);
      await keys('Enter');
      screen = await until(/files? written/);
      const files = await readdir(out);
      assert.ok(files.some((f) => /create_index_.*\.up\.sql$/.test(f)), files.join(', '));
      assert.ok(files.some((f) => f.endsWith('.down.sql')));
      // Ctrl-C leaves like every other command: exit 130.
      await keys('C-c');
      await until(/EXIT=130/, 10_000);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', session]);
    }
  });
});
