import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, rename, rm } from 'node:fs/promises';
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

/** Text to write: one string, or pieces (a large report is written as it is rendered, never held whole). */
export type Content = string | Iterable<string>;

/** Pieces are gathered to about this many characters per write. */
const WRITE_BATCH = 1 << 20;

function* batches(content: Content): Generator<string> {
  if (typeof content === 'string') {
    yield content;
    return;
  }
  let pending: string[] = [];
  let size = 0;
  for (const piece of content) {
    pending.push(piece);
    size += piece.length;
    if (size >= WRITE_BATCH) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (size > 0) yield pending.join('');
}

/** Write a file atomically: a temp file beside it, then rename; a crash never leaves half a file. */
export async function writeFileAtomic(path: string, content: Content): Promise<void> {
  await assertRegularTarget(path);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const file = await open(temp, 'wx');
    try {
      for (const batch of batches(content)) await file.write(batch, null, 'utf8');
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new UserError(`pgrescue: could not write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** Print to stdout (waiting when the pipe is full), or write atomically to --out. */
export async function emit(content: Content, out: string | undefined): Promise<void> {
  if (out) {
    await writeFileAtomic(out, content);
    return;
  }
  for (const batch of batches(content)) {
    if (!process.stdout.write(batch)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
  }
}
