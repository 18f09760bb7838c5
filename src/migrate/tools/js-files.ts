import { separateStatements, sqlOf, withoutTransactionControl } from '../step-sql.js';
import type { Direction } from '../step-sql.js';
import { existingByPattern, jsString } from './tool.js';
import type { MigrationTool, StepToRender } from './tool.js';

/** How the project writes JavaScript modules. */
export type ModuleStyle = 'cjs' | 'esm' | 'ts';

const EXT: Record<ModuleStyle, string> = { cjs: 'js', esm: 'js', ts: 'ts' };

/** pgrescue's header as a JavaScript comment block's lines (each already a `--` SQL comment, one line each). */
function jsHeader(step: StepToRender, transaction: string): string {
  return step
    .header('both', transaction)
    .trimEnd()
    .split('\n')
    .map((line) => `// ${line.replace(/^-- ?/, '')}`)
    .join('\n');
}

/** The statements a direction runs: one string for a transactional step (the tool's transaction), one per statement otherwise. */
function statementsOf(step: StepToRender, direction: Direction): string[] {
  const m = step.planned.migration;
  const sql = sqlOf(m, direction);
  return m.transactional ? [withoutTransactionControl(sql).trim()] : separateStatements(sql);
}

function list(statements: readonly string[], indent: string): string {
  return `[\n${statements.map((s) => `${indent}  ${jsString(s)},`).join('\n')}\n${indent}]`;
}

/**
 * knex: <timestamp>_name.js (or .ts), up and down. A CONCURRENTLY step sets `config.transaction = false`; its
 * statements go over one connection (the SET before the CREATE INDEX must reach the same session), straight to the
 * driver: knex.raw would read a `?` in the SQL as a binding.
 */
export function knexTool(style: ModuleStyle): MigrationTool {
  return {
    name: 'knex',
    defaultDir: 'migrations',
    versions: 'timestamp',
    prefixed: true,
    existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.(?:js|cjs|mjs|ts)$/),
    render(step) {
      const m = step.planned.migration;
      const tx = m.transactional ? 'transaction: knex runs this migration in one transaction' : 'transaction: NONE (config.transaction = false): CONCURRENTLY, or a block that commits per batch, cannot run in a transaction';
      const param = style === 'ts' ? 'knex: Knex' : 'knex';
      const fn = (name: string, direction: Direction): string =>
        style === 'cjs'
          ? `exports.${name} = async function (${param}) {\n  await run(knex, ${list(statementsOf(step, direction), '  ')});\n};`
          : `export async function ${name}(${param})${style === 'ts' ? ': Promise<void>' : ''} {\n  await run(knex, ${list(statementsOf(step, direction), '  ')});\n}`;
      const run =
        style === 'ts'
          ? 'async function run(knex: Knex, statements: readonly string[]): Promise<void> {'
          : 'async function run(knex, statements) {';
      const lines = [
        jsHeader(step, tx),
        ...(style === 'ts' ? ["import type { Knex } from 'knex';", ''] : ['']),
        ...(m.transactional ? [] : [style === 'cjs' ? 'exports.config = { transaction: false };' : 'export const config = { transaction: false };', '']),
        '// One connection for every statement (inside the migration\'s transaction when there is one); the driver runs',
        '// each text as written.',
        run,
        '  const connection = await knex.client.acquireConnection();',
        '  try {',
        '    for (const statement of statements) await connection.query(statement);',
        '  } finally {',
        '    await knex.client.releaseConnection(connection);',
        '  }',
        '}',
        '',
        fn('up', 'up'),
        '',
        fn('down', 'down'),
        '',
      ];
      return [{ path: `${step.version}_${step.name}.${EXT[style]}`, content: lines.join('\n') }];
    },
    howToRun: (dir) => `npx knex migrate:latest (migrations directory ${dir}); npx knex migrate:down undoes the last one`,
  };
}

/**
 * node-pg-migrate: a transactional step is an SQL migration (-- Up Migration / -- Down Migration sections, run in
 * the tool's transaction); a CONCURRENTLY step is a .mjs migration calling pgm.noTransaction(), one pgm.sql per
 * statement (node-pg-migrate runs them on its one connection).
 */
export const nodePgMigrate: MigrationTool = {
  name: 'node-pg-migrate',
  defaultDir: 'migrations',
  versions: 'millis',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.(?:sql|js|cjs|mjs|ts)$/),
  render(step) {
    const m = step.planned.migration;
    if (m.transactional) {
      const section = (direction: Direction): string => step.header(direction, '-- transaction: node-pg-migrate runs this migration in one transaction') + withoutTransactionControl(sqlOf(m, direction));
      return [{ path: `${step.version}_${step.name}.sql`, content: `-- Up Migration\n${section('up')}\n-- Down Migration\n${section('down')}` }];
    }
    const fn = (name: string, direction: Direction): string =>
      `export const ${name} = (pgm) => {\n  pgm.noTransaction();\n${statementsOf(step, direction).map((s) => `  pgm.sql(${jsString(s)});`).join('\n')}\n};`;
    return [{ path: `${step.version}_${step.name}.mjs`, content: [jsHeader(step, 'transaction: NONE (pgm.noTransaction()): CONCURRENTLY, or a block that commits per batch, cannot run in a transaction'), '', fn('up', 'up'), '', fn('down', 'down'), ''].join('\n') }];
  },
  howToRun: (dir) => `npx node-pg-migrate up -m ${dir} (with DATABASE_URL set); npx node-pg-migrate down undoes the last one`,
};

/**
 * Kysely's Migrator: <timestamp>_name.ts exporting up(db) and down(db). Each file runs its own transaction, so the
 * Migrator must be built with `disableTransactions: true` (a CONCURRENTLY step cannot run inside the one
 * transaction the Migrator otherwise opens for the whole run; it says so and stops).
 */
export const kysely: MigrationTool = {
  name: 'kysely',
  defaultDir: 'migrations',
  versions: 'timestamp',
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d+)_(.+)\.(?:ts|js|mjs|mts)$/),
  render(step) {
    const m = step.planned.migration;
    const fn = (name: string, direction: Direction): string =>
      `export async function ${name}(db: Kysely<any>): Promise<void> {\n  await run(db, ${list(statementsOf(step, direction), '  ')});\n}`;
    const run = m.transactional
      ? [
          '// One transaction for the step: its own, or the Migrator\'s when it was built without disableTransactions.',
          'async function run(db: Kysely<any>, statements: readonly string[]): Promise<void> {',
          '  const apply = async (trx: Kysely<any>) => {',
          '    for (const statement of statements) await sql.raw(statement).execute(trx);',
          '  };',
          '  if (db.isTransaction) await apply(db);',
          '  else await db.transaction().execute(apply);',
          '}',
        ]
      : [
          '// CONCURRENTLY cannot run inside a transaction; every statement on one connection (the SET reaches the build).',
          'async function run(db: Kysely<any>, statements: readonly string[]): Promise<void> {',
          '  if (db.isTransaction) {',
          "    throw new Error('this migration builds an index CONCURRENTLY, which cannot run in a transaction: create the Migrator with disableTransactions: true');",
          '  }',
          '  await db.connection().execute(async (connection) => {',
          '    for (const statement of statements) await sql.raw(statement).execute(connection);',
          '  });',
          '}',
        ];
    const tx = m.transactional ? 'transaction: one, opened by this file' : 'transaction: NONE: CONCURRENTLY, or a block that commits per batch, cannot run in a transaction (Migrator with disableTransactions: true)';
    return [{ path: `${step.version}_${step.name}.ts`, content: [jsHeader(step, tx), "import { sql } from 'kysely';", "import type { Kysely } from 'kysely';", '', ...run, '', fn('up', 'up'), '', fn('down', 'down'), ''].join('\n') }];
  },
  howToRun: (dir) => `new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: '${dir}' }), disableTransactions: true }).migrateToLatest()`,
};
