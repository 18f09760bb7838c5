import { soleStatement, sqlOf, withoutTransactionControl } from '../step-sql.js';
import type { Direction } from '../step-sql.js';
import { assertNoMarker, existingByPattern } from './tool.js';
import { UserError } from '../../model/user-error.js';
import type { MigrationTool, OutputFile, StepToRender } from './tool.js';

/** The header line of a file whose tool runs it in its own transaction. */
export const IN_TOOL_TRANSACTION = (tool: string): string => `-- transaction: ${tool} runs this file in one transaction`;

/** The header line of a one-statement file run outside any transaction, and what that costs. */
export const ALONE = '-- transaction: NONE: one statement on its own (CONCURRENTLY, or a block that commits per batch, cannot run in a transaction). lock_timeout is not\n-- set here: the tool sends the file as one query. If the role has a statement_timeout, run it as a role without one.';

/** The body of a step for a tool that wraps each file in a transaction, or runs a lone CONCURRENTLY statement as is. */
export function bodyFor(step: StepToRender, direction: Direction, tool: string): string {
  const m = step.planned.migration;
  const sql = sqlOf(m, direction);
  return m.transactional ? step.header(direction, IN_TOOL_TRANSACTION(tool)) + withoutTransactionControl(sql) : step.header(direction, ALONE) + soleStatement(sql);
}

/**
 * The body of a step for a tool that sends the file as ONE query and opens no transaction (Prisma,
 * golang-migrate): BEGIN … COMMIT inside the file is the transaction; a CONCURRENTLY step is that one statement
 * (several statements in one query are an implicit transaction, where CONCURRENTLY fails).
 */
function asOneQuery(step: StepToRender, direction: Direction, tool: string): string {
  const m = step.planned.migration;
  const sql = sqlOf(m, direction);
  return m.transactional ? step.header(direction, `-- transaction: BEGIN … COMMIT inside the file (${tool} opens none)`) + sql : step.header(direction, ALONE) + soleStatement(sql);
}

/** pgrescue's own layout: <timestamp>_<nnn>_<name>.up.sql and .down.sql, each file carrying its own transaction. */
export const plain: MigrationTool = {
  name: 'plain',
  defaultDir: 'migrations',
  versions: 'numbered',
  prefixed: false,
  existing: (files) => existingByPattern(files, /^(\d{14}_\d{3})_(.+)\.up\.sql$/),
  render(step) {
    const m = step.planned.migration;
    const tx = m.transactional
      ? '-- transaction: runs in one transaction (BEGIN … COMMIT inside the file)'
      : '-- transaction: NONE: CONCURRENTLY, or a block that commits per batch, cannot run inside a transaction block; run this file on its own';
    return [
      { path: `${step.version}_${step.name}.up.sql`, content: step.header('up', tx) + m.up },
      { path: `${step.version}_${step.name}.down.sql`, content: step.header('down', tx) + m.down },
    ];
  },
  howToRun: (dir) => `run the .up.sql files in ${dir} in name order (psql -v ON_ERROR_STOP=1 -f FILE); files marked "transaction: NONE" one by one, outside a transaction`,
};

/** golang-migrate: N_name.up.sql / N_name.down.sql; it runs a file as one query, without a transaction of its own. */
export const golangMigrate: MigrationTool = {
  name: 'golang-migrate',
  defaultDir: 'migrations',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.up\.sql$/),
  render(step) {
    return [
      { path: `${step.version}_${step.name}.up.sql`, content: asOneQuery(step, 'up', 'golang-migrate') },
      { path: `${step.version}_${step.name}.down.sql`, content: asOneQuery(step, 'down', 'golang-migrate') },
    ];
  },
  howToRun: (dir) => `migrate -path ${dir} -database "$DATABASE_URL" up   (down: migrate … down 1 per step)`,
};

const DBMATE_MARKER = /^--\s*migrate:/m;

/** dbmate: one <timestamp>_name.sql per step with -- migrate:up / -- migrate:down, transaction:false for CONCURRENTLY. */
export const dbmate: MigrationTool = {
  name: 'dbmate',
  defaultDir: 'db/migrations',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.sql$/),
  render(step) {
    const option = step.planned.migration.transactional ? '' : ' transaction:false';
    const up = assertNoMarker(bodyFor(step, 'up', 'dbmate'), DBMATE_MARKER, 'dbmate');
    const down = assertNoMarker(bodyFor(step, 'down', 'dbmate'), DBMATE_MARKER, 'dbmate');
    return [{ path: `${step.version}_${step.name}.sql`, content: `-- migrate:up${option}\n${up}\n-- migrate:down${option}\n${down}` }];
  },
  howToRun: (dir) => `dbmate --migrations-dir ${dir} up   (dbmate rollback undoes the last one)`,
};

/** Supabase CLI: supabase/migrations/<timestamp>_name.sql, up only, each file in its own transaction; downs beside the folder. */
export const supabase: MigrationTool = {
  name: 'supabase',
  defaultDir: 'supabase/migrations',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.sql$/),
  render(step) {
    return [
      { path: `${step.version}_${step.name}.sql`, content: bodyFor(step, 'up', 'supabase') },
      // Supabase has no down migrations, and applies every .sql file of the folder: the undo lives outside it.
      { path: `../pgrescue-down/${step.version}_${step.name}.down.sql`, content: bodyFor(step, 'down', 'psql') },
    ];
  },
  howToRun: (dir) => `supabase db push (or supabase migration up --db-url "$DATABASE_URL"); to undo a step, run its file in ${dir}/../pgrescue-down with psql`,
};

/** Flyway: V<version>__name.sql and U<version>__name.sql; a .sql.conf turns the transaction off for CONCURRENTLY. */
export const flyway: MigrationTool = {
  name: 'flyway',
  defaultDir: 'db/migration',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^V([\d_.]+)__(.+)\.sql$/),
  render(step) {
    const m = step.planned.migration;
    const tx = m.transactional ? IN_TOOL_TRANSACTION('flyway') : '-- transaction: NONE (executeInTransaction=false in the .conf beside this file): statements run one by one';
    const body = (direction: Direction): string => step.header(direction, tx) + (m.transactional ? withoutTransactionControl(sqlOf(m, direction)) : sqlOf(m, direction));
    const files: OutputFile[] = [
      { path: `V${step.version}__${step.name}.sql`, content: body('up') },
      { path: `U${step.version}__${step.name}.sql`, content: body('down') },
    ];
    // Flyway replaces ${…} in a script with a placeholder's value (${flyway:defaultSchema}…): a name from the
    // database holding one would become another name. Refuse rather than write a file that runs something else.
    if (files.some((f) => f.content.includes('${'))) {
      throw new UserError(`pgrescue: the step ${step.name} names an object whose name holds "\${", which Flyway would replace as a placeholder: write it with --tool plain, or run Flyway with -placeholderReplacement=false`);
    }
    if (!m.transactional) {
      files.push({ path: `V${step.version}__${step.name}.sql.conf`, content: 'executeInTransaction=false\n' });
      files.push({ path: `U${step.version}__${step.name}.sql.conf`, content: 'executeInTransaction=false\n' });
    }
    return files;
  },
  howToRun: (dir) => `flyway -locations=filesystem:${dir} migrate   (U files are Flyway's undo migrations: flyway undo, or run them with psql)`,
};

/** Prisma: <timestamp>_name/migration.sql, one query per file, no down (down.sql beside it, as Prisma's docs suggest). */
export const prisma: MigrationTool = {
  name: 'prisma',
  defaultDir: 'prisma/migrations',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_([^/]+)\/migration\.sql$/),
  render(step) {
    return [
      { path: `${step.version}_${step.name}/migration.sql`, content: asOneQuery(step, 'up', 'Prisma') },
      { path: `${step.version}_${step.name}/down.sql`, content: asOneQuery(step, 'down', 'Prisma') },
    ];
  },
  howToRun: (dir) => `npx prisma migrate deploy (migrations in ${dir}); to undo a step: npx prisma db execute --file ${dir}/<step>/down.sql, then npx prisma migrate resolve --rolled-back <step>`,
};
