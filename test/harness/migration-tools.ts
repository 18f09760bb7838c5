import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);

export interface Run {
  readonly code: number;
  readonly output: string;
}

/** Run a tool's real command line (from node_modules), with a time limit. */
export function runTool(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 180_000 });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

/** A binary a tool's npm package ships for this platform, or null when it is not installed. */
export function platformBinary(pkg: string, relative: string): string | null {
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), relative);
  } catch {
    return null;
  }
}

export const BIN = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

/** Send each file as ONE query, as Prisma and golang-migrate do (several statements are then an implicit transaction). */
export async function applyAsOneQuery(url: string, files: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const file of files) {
      try {
        await client.query(await readFile(file, 'utf8'));
      } catch (error) {
        throw new Error(`${file}: ${(error as Error).message}`);
      }
    }
  } finally {
    await client.end();
  }
}

/** Files in a folder matching a pattern, sorted by name. */
export async function filesIn(dir: string, pattern: RegExp): Promise<string[]> {
  return (await readdir(dir).catch(() => [] as string[])).filter((f) => pattern.test(f)).sort().map((f) => join(dir, f));
}
