import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../src/demo/embedded-server.js';
import type { TestServer } from './server.js';

const BIN = '/usr/lib/postgresql/15/bin';
const HYPOPG_CONTROL = '/usr/share/postgresql/15/extension/hypopg.control';

/** Why the system PostgreSQL 15 with HypoPG cannot be used here, or null when it can. */
export function systemPostgresUnavailable(): string | null {
  if (!existsSync(join(BIN, 'initdb'))) return `system PostgreSQL 15 not installed (${BIN}/initdb missing): apt-get install -y postgresql-15`;
  if (!existsSync(HYPOPG_CONTROL)) return 'HypoPG for PostgreSQL 15 not installed: apt-get install -y postgresql-15-hypopg';
  return null;
}

function asPostgres(command: string, args: string[]): void {
  const root = userInfo().uid === 0;
  const result = root
    ? spawnSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' })
    : spawnSync(command, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`);
}

/** Start the system PostgreSQL 15 (with pg_stat_statements preloaded) in a temp dir on a free port. */
export async function startSystemPostgres(settings: Readonly<Record<string, string>> = {}): Promise<TestServer> {
  const reason = systemPostgresUnavailable();
  if (reason) throw new Error(reason);
  const dir = mkdtempSync(join(tmpdir(), 'pgrescue-pg15-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  if (userInfo().uid === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements -c fsync=off -c synchronous_commit=off${Object.entries(settings).map(([k, v]) => ` -c ${k}=${v}`).join('')}`;
  asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', 'start']);
  const url = (database = 'postgres'): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    url,
    logFile: join(dir, 'server.log'),
    async createDatabase(name: string): Promise<string> {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
