import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/output.js';
import { UserError } from '../model/user-error.js';
import type { PlannedMigration } from './plan.js';
import { commentLine } from '../sql/comment.js';

export interface WriteOptions {
  readonly dir: string;
  readonly force: boolean;
  readonly now: Date;
  readonly toolVersion: string;
}

export interface WrittenMigration {
  readonly up: string;
  readonly down: string;
  readonly planned: PlannedMigration;
}

/** A step an earlier run already wrote: left as it is (the user may have edited or applied it). */
export interface SkippedMigration {
  readonly up: string;
  readonly planned: PlannedMigration;
  /** The file differs from what this run would write (a changed fix, or the user's edit). */
  readonly changed: boolean;
}

export interface WriteResult {
  readonly written: readonly WrittenMigration[];
  readonly skipped: readonly SkippedMigration[];
}

/** A file-name-safe slug: ASCII lower case, digits and underscores. */
export function slug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[^\x00-\x7f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return (s || 'migration').slice(0, 80);
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

const RISK_NOTE = {
  safe: ' (additive, changes no data, no long lock)',
  review: ' (drops, rewrites or deletes, or a constraint the data may break: read before running)',
  decision: ' (a product decision: this file refuses to run until you edit it)',
} as const;

const FILE = /^(\d{14})_(\d{3})_(.+)\.(up|down)\.sql$/;

function header(p: PlannedMigration, direction: 'up' | 'down', version: string): string {
  const m = p.migration;
  const lines = [
    commentLine(`pgrescue ${version} · ${direction} · fixes ${p.findingId}`),
    m.transactional
      ? '-- transaction: runs in one transaction (BEGIN … COMMIT inside the file)'
      : '-- transaction: NONE: CONCURRENTLY cannot run inside a transaction block; run this file on its own',
    `-- lock: ${m.lock}`,
    `-- risk: ${m.risk ?? 'review'}${RISK_NOTE[m.risk ?? 'review']}`,
  ];
  if (m.destructive && direction === 'up') lines.push('-- DESTRUCTIVE: removes an object or data; review before running');
  return `${lines.join('\n')}\n`;
}

/**
 * Write each step as <timestamp>_<nnn>_<name>.up.sql and .down.sql, numbered after the files already there. A step
 * an earlier run wrote is skipped and reported (its file may be applied or edited by now); --force rewrites it in
 * place.
 */
export async function writeMigrations(plan: readonly PlannedMigration[], options: WriteOptions): Promise<WriteResult> {
  let existing: string[] = [];
  try {
    existing = await readdir(options.dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new UserError(`pgrescue: cannot read ${options.dir}: ${(error as NodeJS.ErrnoException).code}`);
  }
  const byName = new Map<string, string>();
  let sequence = 0;
  for (const file of existing) {
    const m = FILE.exec(file);
    if (!m) continue;
    byName.set(m[3]!, `${m[1]}_${m[2]}_${m[3]}`);
    sequence = Math.max(sequence, Number(m[2]));
  }
  const stamp = timestamp(options.now);
  const written: WrittenMigration[] = [];
  const skipped: SkippedMigration[] = [];
  for (const p of plan) {
    const name = slug(p.migration.name);
    const already = byName.get(name);
    const upText = header(p, 'up', options.toolVersion) + p.migration.up;
    if (already && !options.force) {
      const file = join(options.dir, `${already}.up.sql`);
      const existing = await readFile(file, 'utf8').catch(() => '');
      skipped.push({ up: file, planned: p, changed: existing !== upText });
      continue;
    }
    const base = already ?? `${stamp}_${String(++sequence).padStart(3, '0')}_${name}`;
    const up = join(options.dir, `${base}.up.sql`);
    const down = join(options.dir, `${base}.down.sql`);
    await writeFileAtomic(up, upText);
    await writeFileAtomic(down, header(p, 'down', options.toolVersion) + p.migration.down);
    written.push({ up, down, planned: p });
  }
  return { written, skipped };
}
