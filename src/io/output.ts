import { randomBytes } from 'node:crypto';
import { lstat, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { UserError } from '../model/user-error.js';

/**
 * Refuse anything but a regular file (or nothing) at `path`: renaming over a device, FIFO, directory or symlink
 * would replace it, which as root could be /dev/null or a file a link points at.
 */
export async function assertRegularTarget(path: string): Promise<void> {
  let kind: string | null = null;
  try {
    const st = await lstat(path);
    if (st.isFile()) return;
    kind = st.isDirectory() ? 'a directory' : st.isSymbolicLink() ? 'a symbolic link' : st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    throw new UserError(`pgrescue: cannot write ${path}: ${code ?? (error as Error).message}`);
  }
  throw new UserError(`pgrescue: ${path} is ${kind}: pgrescue writes regular files only (give a file path, or omit --out to print to stdout)`);
}

/** Write a file atomically: a temp file beside it, then rename; a crash never leaves half a file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await assertRegularTarget(path);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(temp, content, { flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new UserError(`pgrescue: could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Print to stdout, or write atomically to --out. */
export async function emit(content: string, out: string | undefined): Promise<void> {
  if (out) await writeFileAtomic(out, content);
  else process.stdout.write(content);
}
