import { lstat, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/output.js';
import { UserError } from '../model/user-error.js';
import type { PlannedMigration } from './plan.js';
import { phaseOf } from './plan.js';
import { commentLine } from '../sql/comment.js';
import { plural } from '../derive/format.js';
import { plain } from './tools/sql-files.js';
import type { ExistingStep, MigrationTool, OutputFile, StepToRender } from './tools/tool.js';
import { nextVersions } from './tools/versions.js';

export interface WriteOptions {
  readonly dir: string;
  readonly force: boolean;
  readonly now: Date;
  readonly toolVersion: string;
  /** The migration tool's layout (default: pgrescue's plain .up.sql/.down.sql files). */
  readonly tool?: MigrationTool;
}

export interface WrittenMigration {
  /** Every file of the step, up first. */
  readonly files: readonly string[];
  readonly planned: PlannedMigration;
  /** Written to the side folder a tool without no-transaction migrations needs (drizzle): run with psql first. */
  readonly outside: boolean;
}

/** A step an earlier run already wrote: left as it is (the user may have edited or applied it). */
export interface SkippedMigration {
  readonly file: string;
  readonly planned: PlannedMigration;
  /** The file differs from what this run would write (a changed fix, or the user's edit). */
  readonly changed: boolean;
}

export interface WriteResult {
  readonly written: readonly WrittenMigration[];
  readonly skipped: readonly SkippedMigration[];
  /** How to apply what was written, in order. */
  readonly howToRun: readonly string[];
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

const RISK_NOTE = {
  safe: ' (additive, changes no data, no long lock)',
  review: ' (drops, rewrites or deletes, or a constraint the data may break: read before running)',
  decision: ' (a product decision: this file refuses to run until you edit it)',
} as const;

/** What pgrescue's header says of a file: the finding it fixes and its risk (what `verify` reads back). */
export function readHeader(text: string): { fixes: string | null; risk: string | null } {
  const fixes = /^-- pgrescue \S+ · [^·\n]+ · fixes (.+?)\s*$/m.exec(text)?.[1] ?? null;
  const risk = /^-- risk: (safe|review|decision)\b/m.exec(text)?.[1] ?? null;
  return { fixes, risk };
}

/** pgrescue's comment header: what the file fixes, its transaction (in the tool's terms), lock and risk (read back by readHeader). */
function header(p: PlannedMigration, direction: 'up' | 'down' | 'both', version: string, transaction: string): string {
  const m = p.migration;
  const lines = [commentLine(`pgrescue ${version} · ${direction === 'both' ? 'up and down' : direction} · fixes ${p.findingId}`), transaction, `-- lock: ${m.lock}`, `-- risk: ${m.risk ?? 'review'}${RISK_NOTE[m.risk ?? 'review']}`];
  if (m.destructive && direction !== 'down') lines.push('-- DESTRUCTIVE: removes an object or data; review before running');
  return `${lines.join('\n')}\n`;
}

/** Files in the folder and one level down (Prisma keeps a folder per migration), as relative paths. */
async function listFiles(dir: string): Promise<string[]> {
  let top: string[];
  try {
    top = await readdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new UserError(`pgrescue: cannot read ${dir}: ${code}`);
  }
  const files: string[] = [];
  for (const name of top.sort()) {
    const st = await lstat(join(dir, name)).catch(() => null);
    if (st?.isDirectory()) files.push(...(await readdir(join(dir, name)).catch(() => [])).map((f) => `${name}/${f}`));
    else files.push(name);
  }
  return files;
}

/**
 * The steps a tool that cannot leave its transaction (drizzle) must get from elsewhere: the shortest prefix of
 * the plan holding every no-transaction step, after moving fixes without such a step behind those with one.
 * Run first with psql, they keep the plan's order; the tool's journal gets the rest.
 */
export function partitionForTool(plan: readonly PlannedMigration[], tool: MigrationTool): { outside: PlannedMigration[]; inside: PlannedMigration[] } {
  if (!tool.outsideFolder || plan.every((p) => p.migration.transactional)) return { outside: [], inside: [...plan] };
  const concurrent = new Set(plan.filter((p) => !p.migration.transactional).map((p) => p.findingId));
  const early = (p: PlannedMigration): number => (phaseOf(p) < 3 ? 0 : concurrent.has(p.findingId) ? 1 : 2);
  const ordered = plan.map((p, i) => ({ p, i })).sort((a, b) => early(a.p) - early(b.p) || a.i - b.i).map((x) => x.p);
  const last = ordered.reduce((at, p, i) => (p.migration.transactional ? at : i), -1);
  return { outside: ordered.slice(0, last + 1), inside: ordered.slice(last + 1) };
}

/** One step of a target, rendered: its files, or the earlier run's file it is skipped for. */
interface Prepared {
  readonly step: StepToRender;
  readonly outputs: readonly OutputFile[];
  readonly skipped?: SkippedMigration;
}

/** Render every step of one folder before anything is written: a step that cannot be rendered writes nothing. */
async function prepare(tool: MigrationTool, dir: string, steps: readonly PlannedMigration[], options: WriteOptions): Promise<Prepared[]> {
  const existing = tool.existing(await listFiles(dir));
  const byName = new Map<string, ExistingStep>(existing.map((e) => [e.name, e]));
  const nameOf = (p: PlannedMigration): string => `${tool.prefixed ? 'pgrescue_' : ''}${slug(p.migration.name)}`;
  const versions = nextVersions(tool.versions, existing.map((e) => e.version), options.now, steps.filter((p) => !byName.has(nameOf(p))).length);
  const prepared: Prepared[] = [];
  for (const p of steps) {
    const already = byName.get(nameOf(p));
    const step: StepToRender = {
      planned: p,
      name: nameOf(p),
      version: already?.version ?? versions.shift()!,
      header: (direction, transaction) => header(p, direction, options.toolVersion, transaction),
    };
    const outputs = tool.render(step);
    if (already && !options.force) {
      const file = join(dir, already.file);
      const current = await readFile(file, 'utf8').catch(() => '');
      prepared.push({ step, outputs, skipped: { file, planned: p, changed: current !== outputs.find((o) => o.path === already.file)?.content } });
    } else prepared.push({ step, outputs });
  }
  return prepared;
}

/**
 * Write each step in the tool's layout, numbered after the migrations already in the folder. A step an earlier run
 * wrote is skipped and reported (its file may be applied or edited by now); --force rewrites it in place.
 */
export async function writeMigrations(plan: readonly PlannedMigration[], options: WriteOptions): Promise<WriteResult> {
  const tool = options.tool ?? plain;
  const { outside, inside } = partitionForTool(plan, tool);
  const side = tool.outsideFolder ? join(options.dir, tool.outsideFolder) : null;
  const targets = [
    ...(side ? [{ dir: side, outside: true, prepared: await prepare(plain, side, outside, options) }] : []),
    { dir: options.dir, outside: false, prepared: await prepare(tool, options.dir, inside, options) },
  ];
  const written: WrittenMigration[] = [];
  const skipped: SkippedMigration[] = [];
  for (const target of targets) {
    for (const { step, outputs, skipped: skip } of target.prepared) {
      if (skip) {
        skipped.push(skip);
        continue;
      }
      for (const o of outputs) await writeFileAtomic(join(target.dir, o.path), o.content);
      written.push({ files: outputs.map((o) => join(target.dir, o.path)), planned: step.planned, outside: target.outside });
    }
  }
  const fresh = targets.at(-1)!.prepared.filter((x) => !x.skipped).map((x) => x.step);
  if (tool.finish && fresh.length > 0) await tool.finish(options.dir, fresh, options.now);
  const howToRun: string[] = [];
  if (side && outside.length > 0) howToRun.push(`first: ${tool.name} runs every migration in one transaction, where CONCURRENTLY fails, so ${plural(outside.length, 'step')} (the index builds and the steps before them) are in ${side}: ${plain.howToRun(side)}`);
  if (inside.length > 0) howToRun.push(`${outside.length > 0 ? 'then: ' : ''}${tool.howToRun(options.dir)}`);
  return { written, skipped, howToRun };
}
