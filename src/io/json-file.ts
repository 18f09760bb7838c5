import { readFile } from 'node:fs/promises';
import { UserError } from '../model/user-error.js';

/**
 * Read a JSON file pgrescue wrote (a snapshot, a baseline): a missing, unreadable or broken file is one line,
 * naming what was expected (`what`), with a hint for a missing one.
 */
export async function readJsonFile(path: string, what: string, missingHint = ''): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`pgrescue: cannot read ${what} ${path}: ${code === 'ENOENT' ? `no such file${missingHint}` : code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new UserError(`pgrescue: ${path} is not a pgrescue ${what}: it is not valid JSON`);
  }
}
