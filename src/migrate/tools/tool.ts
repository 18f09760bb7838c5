import type { PlannedMigration } from '../plan.js';

export const TOOL_NAMES = ['plain', 'prisma', 'drizzle', 'supabase', 'knex', 'node-pg-migrate', 'kysely', 'rails', 'flyway', 'golang-migrate', 'dbmate'] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/** How a tool numbers its migrations. */
export type VersionStyle =
  /** YYYYMMDDHHMMSS, one second apart (or the next sequence number when the folder already counts 1, 2, 3…). */
  | 'timestamp'
  /** Milliseconds since the epoch (node-pg-migrate's default prefix). */
  | 'millis'
  /** A 4-digit index into drizzle's journal. */
  | 'index'
  /** pgrescue's own: <timestamp>_<nnn>, the number counting on from the folder's highest. */
  | 'numbered';

/** A file to write, relative to the migrations folder. */
export interface OutputFile {
  readonly path: string;
  readonly content: string;
}

/** What a tool's renderer gets for one step. */
export interface StepToRender {
  readonly planned: PlannedMigration;
  /** The step's name in file names: pgrescue_ + the step's slug (the plain layout: the slug alone). */
  readonly name: string;
  readonly version: string;
  /** pgrescue's comment header for the up or down file (or a file holding both), with the tool's own line about transactions. */
  header(direction: 'up' | 'down' | 'both', transaction: string): string;
}

/** A step an earlier run wrote, found by its file name. */
export interface ExistingStep {
  readonly name: string;
  readonly version: string;
  /** The file a re-run compares with what it would write now. */
  readonly file: string;
}

export interface MigrationTool {
  readonly name: ToolName;
  /** Where the tool keeps migrations, relative to the project. */
  readonly defaultDir: string;
  readonly versions: VersionStyle;
  /**
   * Set when the tool runs every migration inside a transaction, so CONCURRENTLY cannot run through it: those steps
   * (and the ones before them) go to this folder, inside the migrations folder, in the plain layout, run first.
   */
  readonly outsideFolder?: string;
  /** pgrescue_-prefixed names, so they never collide with the project's own migrations (Rails class names, say). */
  readonly prefixed: boolean;
  /** Versions and names of every migration in the folder (the project's too: new versions must sort after them). */
  existing(files: readonly string[]): ExistingStep[];
  render(step: StepToRender): OutputFile[];
  /** Bookkeeping after the steps are written (drizzle's journal). */
  finish?(dir: string, written: readonly StepToRender[], now: Date): Promise<void>;
  /** How to apply what was written, one or two lines. */
  howToRun(dir: string): string;
}

/** Steps found by a file-name pattern whose groups are (version, name). */
export function existingByPattern(files: readonly string[], pattern: RegExp): ExistingStep[] {
  const found: ExistingStep[] = [];
  for (const file of files) {
    const m = pattern.exec(file);
    if (m) found.push({ version: m[1]!, name: m[2]!, file });
  }
  return found;
}

/** A string literal for JavaScript, TypeScript or JSON: JSON's escapes are valid in all three. */
export function jsString(text: string): string {
  return JSON.stringify(text).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Refuse a text that holds a line the tool reads as a marker (a name can never make one: comments are one line each). */
export function assertNoMarker(text: string, marker: RegExp, tool: string): string {
  if (marker.test(text)) throw new Error(`${tool}: a migration would contain the tool's own marker`);
  return text;
}
