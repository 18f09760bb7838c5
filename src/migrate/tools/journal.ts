import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/output.js';
import { UserError } from '../../model/user-error.js';
import type { StepToRender } from './tool.js';

export interface JournalEntry {
  readonly idx: number;
  readonly version: string;
  readonly when: number;
  readonly tag: string;
  readonly breakpoints: boolean;
}

interface Journal {
  version: string;
  dialect: string;
  entries: JournalEntry[];
}

/**
 * Add the steps to drizzle's meta/_journal.json (atomically). drizzle-orm applies an entry when its `when` is later
 * than the last migration it ran, so each new one is later than every entry already there.
 */
export async function updateJournal(dir: string, steps: readonly StepToRender[], now: Date): Promise<void> {
  const path = join(dir, 'meta', '_journal.json');
  let journal: Journal = { version: '7', dialect: 'postgresql', entries: [] };
  const text = await readFile(path, 'utf8').catch(() => null);
  if (text !== null) {
    try {
      journal = JSON.parse(text) as Journal;
      if (!Array.isArray(journal.entries)) throw new Error('no entries');
    } catch {
      throw new UserError(`pgrescue: ${path} is not a drizzle journal (JSON with "entries"): fix or move it`);
    }
  }
  let when = Math.max(now.getTime(), ...journal.entries.map((e) => e.when + 1));
  const tags = new Set(journal.entries.map((e) => e.tag));
  for (const step of steps) {
    const tag = `${step.version}_${step.name}`;
    if (tags.has(tag)) continue;
    journal.entries.push({ idx: Number(step.version), version: '7', when: when++, tag, breakpoints: true });
  }
  await writeFileAtomic(path, `${JSON.stringify(journal, null, 2)}\n`);
}
