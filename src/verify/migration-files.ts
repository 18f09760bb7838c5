import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../model/user-error.js';
import { hasGuard } from '../migrate/decision.js';
import { readHeader } from '../migrate/write.js';

/** One migration of the folder under test: its up and down SQL, and what pgrescue's header says it fixes. */
export interface MigrationFile {
  /** The file name of the up direction (what verdicts name). */
  readonly name: string;
  readonly up: string;
  readonly down: string | null;
  /** The finding id from pgrescue's header (`fixes …`), when the file is pgrescue's. */
  readonly fixes: string | null;
  /** The risk line of pgrescue's header. */
  readonly risk: string | null;
  /** An unedited decision template: its first statement raises on purpose. */
  readonly undecided: boolean;
}

const UP = /\.up\.sql$/;
const DBMATE_UP = /^--\s*migrate:up\b.*$/m;
const DBMATE_DOWN = /^--\s*migrate:down\b.*$/m;

async function regularText(path: string): Promise<string | null> {
  const st = await lstat(path).catch(() => null);
  if (!st?.isFile()) return null;
  return readFile(path, 'utf8');
}

function file(name: string, up: string, down: string | null): MigrationFile {
  return { name, up, down, ...readHeader(up), undecided: hasGuard(up) };
}

/**
 * The migrations of a folder in name order: `NAME.up.sql` with its `NAME.down.sql` (pgrescue's plain layout,
 * golang-migrate and the like), or dbmate files holding `-- migrate:up` / `-- migrate:down`. Regular files only.
 */
export async function readMigrationFolder(dir: string): Promise<MigrationFile[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`pgrescue: cannot read the migrations folder ${dir}: ${code === 'ENOENT' ? 'no such folder' : code}`);
  }
  const files: MigrationFile[] = [];
  for (const name of names) {
    if (UP.test(name)) {
      const up = await regularText(join(dir, name));
      if (up === null) continue;
      files.push(file(name, up, await regularText(join(dir, name.replace(UP, '.down.sql')))));
    } else if (name.endsWith('.sql') && !name.endsWith('.down.sql')) {
      const text = await regularText(join(dir, name));
      const up = text === null ? null : DBMATE_UP.exec(text);
      if (!text || !up) continue;
      const down = DBMATE_DOWN.exec(text);
      const upText = text.slice(up.index + up[0].length, down && down.index > up.index ? down.index : undefined);
      files.push(file(name, upText, down ? text.slice(down.index + down[0].length) : null));
    }
  }
  if (files.length === 0) {
    throw new UserError(`pgrescue: no migrations in ${dir}: verify reads NAME.up.sql files with their NAME.down.sql, or dbmate files (write them with pgrescue migrate --tool plain --out ${dir})`);
  }
  return files;
}
