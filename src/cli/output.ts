import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { UserError } from '../engine/user-error.js';

/** Write a file atomically: a temp file beside it, then rename; a crash never leaves half a file. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
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
