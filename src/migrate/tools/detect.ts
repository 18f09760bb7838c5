import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModuleStyle } from './js-files.js';
import type { ToolName } from './tool.js';

/** What the project directory says about its migration tool. */
export interface Detection {
  readonly tool: ToolName;
  /** The migrations folder, relative to the project, when the project names one (drizzle's `out`). */
  readonly dir?: string;
  readonly moduleStyle: ModuleStyle;
  /** Why this tool: the file that gave it away. */
  readonly because: string;
  /** Other tools the project also looks like it uses. */
  readonly others: readonly ToolName[];
}

async function names(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function text(path: string): Promise<string> {
  return readFile(path, 'utf8').catch(() => '');
}

/** Packages the project depends on. */
async function dependencies(project: string): Promise<{ deps: Set<string>; type: string }> {
  try {
    const pkg = JSON.parse(await text(join(project, 'package.json'))) as { dependencies?: object; devDependencies?: object; type?: string };
    return { deps: new Set([...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})]), type: pkg.type ?? 'commonjs' };
  } catch {
    return { deps: new Set(), type: 'commonjs' };
  }
}

/** drizzle.config's `out` folder, read as text (the config is code; only a plain string literal is taken). */
function drizzleOut(config: string): string | undefined {
  return /\bout\s*:\s*['"]([^'"\n]+)['"]/.exec(config)?.[1];
}

/**
 * The migration tool of the project in `project`, from the files each tool keeps (checked in this order; the
 * first wins, the others are named so the user can pass --tool). Nothing found means pgrescue's plain layout.
 */
export async function detectTool(project: string): Promise<Detection> {
  const top = await names(project);
  const { deps, type } = await dependencies(project);
  const found: { tool: ToolName; because: string; dir?: string; moduleStyle?: ModuleStyle }[] = [];
  const has = (prefix: string, exts: readonly string[]): string | undefined => top.find((f) => exts.some((e) => f === `${prefix}.${e}`));

  if ((await names(join(project, 'prisma'))).includes('schema.prisma') || top.includes('schema.prisma')) found.push({ tool: 'prisma', because: 'prisma/schema.prisma' });
  const drizzleConfig = has('drizzle.config', ['ts', 'js', 'mjs', 'cjs', 'mts', 'json']);
  if (drizzleConfig) found.push({ tool: 'drizzle', because: drizzleConfig, dir: drizzleOut(await text(join(project, drizzleConfig))) });
  if ((await names(join(project, 'supabase'))).includes('config.toml')) found.push({ tool: 'supabase', because: 'supabase/config.toml' });
  const knexfile = has('knexfile', ['js', 'ts', 'cjs', 'mjs']);
  if (knexfile) {
    const moduleStyle: ModuleStyle = knexfile.endsWith('.ts') ? 'ts' : knexfile.endsWith('.mjs') || (type === 'module' && knexfile.endsWith('.js')) ? 'esm' : 'cjs';
    found.push({ tool: 'knex', because: knexfile, moduleStyle });
  }
  if (top.includes('.pgmigraterc') || deps.has('node-pg-migrate')) found.push({ tool: 'node-pg-migrate', because: top.includes('.pgmigraterc') ? '.pgmigraterc' : 'node-pg-migrate in package.json' });
  if ((await names(join(project, 'db', 'migrate'))).some((f) => f.endsWith('.rb')) || /\brails\b/.test(await text(join(project, 'Gemfile')))) found.push({ tool: 'rails', because: 'db/migrate/*.rb' });
  const flywayConfig = ['flyway.conf', 'flyway.toml'].find((f) => top.includes(f));
  if (flywayConfig || (await names(join(project, 'db', 'migration'))).some((f) => /^V[\d_.]+__.+\.sql$/.test(f))) found.push({ tool: 'flyway', because: flywayConfig ?? 'db/migration/V*__*.sql' });
  const dbmateFiles = await names(join(project, 'db', 'migrations'));
  if (deps.has('dbmate') || (await Promise.all(dbmateFiles.filter((f) => f.endsWith('.sql')).slice(0, 5).map((f) => text(join(project, 'db', 'migrations', f))))).some((t) => /^--\s*migrate:up/m.test(t))) {
    found.push({ tool: 'dbmate', because: deps.has('dbmate') ? 'dbmate in package.json' : 'db/migrations/*.sql with -- migrate:up' });
  }
  if (/golang-migrate\/migrate/.test(await text(join(project, 'go.mod'))) || (await names(join(project, 'migrations'))).some((f) => /^\d+_.+\.up\.sql$/.test(f) && !/^\d{14}_\d{3}_/.test(f))) found.push({ tool: 'golang-migrate', because: 'migrations/N_name.up.sql' });
  if (deps.has('kysely') && (deps.has('kysely-ctl') || has('kysely.config', ['ts', 'js', 'mjs']))) found.push({ tool: 'kysely', because: 'kysely-ctl / kysely.config' });

  const first = found[0];
  const moduleStyle: ModuleStyle = first?.moduleStyle ?? (type === 'module' ? 'esm' : 'cjs');
  if (!first) return { tool: 'plain', moduleStyle, because: 'no migration tool found in the project', others: [] };
  return { tool: first.tool, dir: first.dir, moduleStyle, because: first.because, others: found.slice(1).map((f) => f.tool) };
}
