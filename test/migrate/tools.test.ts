import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { FileMigrationProvider, Kysely, Migrator, NO_MIGRATIONS, PostgresDialect } from 'kysely';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import knex from 'knex';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { ensureParser } from '../../src/sql/parser.js';
import { applyFiles, splitStatements } from '../harness/apply-sql.js';
import { runCli } from '../harness/cli.js';
import { DEFECTS, RULES, shapeOf } from '../harness/migration-defects.js';
import { applyAsOneQuery, BIN, filesIn, platformBinary, runTool } from '../harness/migration-tools.js';
import { scanDatabase, snapshotOf } from '../harness/scan.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import type { TestServer } from '../harness/server.js';

before(ensureParser);

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Each tool's files, applied by the real tool from npm where it runs offline (knex, node-pg-migrate, kysely, dbmate,
 * Supabase CLI, drizzle-kit), or the way the tool sends them (Prisma and golang-migrate: one query per file; Flyway:
 * statement by statement): every finding fixed, and the tool's down restores the schema where it has one.
 * The fixture's names need quoting (a schema with a space, "order", "select", non-ASCII), so every wrapper's string
 * and heredoc quoting is exercised.
 */

async function defectDatabase(server: TestServer, prefix: string): Promise<string> {
  const url = await databaseWith(server, DEFECTS, prefix);
  await assert.rejects(execSql(url, 'CREATE UNIQUE INDEX CONCURRENTLY broken_email ON "Billing Ops".broken (email)'));
  await execSql(url, 'DELETE FROM "Billing Ops".broken WHERE id = 2');
  return url;
}

async function migrate(url: string, tool: string, dir: string): Promise<string> {
  const r = await runCli(['migrate', '--url', url, '--tool', tool, '--out', dir, '--rules', RULES.join(','), '--include', 'review']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /to apply: /);
  return r.stderr;
}

async function assertFixed(url: string, tool: string): Promise<void> {
  const after = await scanDatabase(url, RULES);
  assert.deepEqual(after.findings.map((f) => f.id), [], `${tool}: every finding is fixed`);
}

interface Case {
  readonly tool: string;
  /** Apply every up; return how to undo them all. */
  up(url: string, dir: string, project: string): Promise<() => Promise<void>>;
}

const CASES: Case[] = [
  {
    tool: 'knex',
    async up(url, dir) {
      const db = knex({ client: 'pg', connection: url, migrations: { directory: dir } });
      try {
        await db.migrate.latest();
      } finally {
        await db.destroy();
      }
      return async () => {
        const again = knex({ client: 'pg', connection: url, migrations: { directory: dir } });
        try {
          await again.migrate.rollback(undefined, true);
        } finally {
          await again.destroy();
        }
      };
    },
  },
  {
    tool: 'node-pg-migrate',
    async up(url, dir) {
      const options = { databaseUrl: url, dir, migrationsTable: 'pgmigrations', count: Infinity, log: () => undefined, logger: { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined } };
      await runner({ ...options, direction: 'up' });
      return async () => {
        await runner({ ...options, direction: 'down' });
      };
    },
  },
  {
    tool: 'kysely',
    async up(url, dir, project) {
      // The migration files import kysely, as they do inside the user's project.
      await symlink(join(ROOT, 'node_modules'), join(project, 'node_modules'), 'dir');
      const make = () => new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
      // Built without disableTransactions, the Migrator runs everything in one transaction: the first CONCURRENTLY
      // file stops with the advice, and the transaction leaves nothing applied.
      {
        const db = make();
        try {
          const { error } = await new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: dir }) }).migrateToLatest();
          assert.match(String((error as Error)?.message), /disableTransactions: true/);
        } finally {
          await db.destroy();
        }
        const applied = await execSql(url, "SELECT to_regclass('kysely_migration') IS NULL OR (SELECT count(*) FROM kysely_migration) = 0 AS none");
        assert.equal(applied.rows[0].none, true);
      }
      const run = async (to: 'latest' | 'none') => {
        const db = make();
        try {
          const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: dir }), disableTransactions: true });
          const { error, results } = to === 'latest' ? await migrator.migrateToLatest() : await migrator.migrateTo(NO_MIGRATIONS);
          if (error) throw new Error(`kysely: ${(error as Error).message} after ${JSON.stringify(results)}`);
        } finally {
          await db.destroy();
        }
      };
      await run('latest');
      return async () => run('none');
    },
  },
  {
    tool: 'dbmate',
    async up(url, dir) {
      const bin = platformBinary('@dbmate/linux-x64', 'bin/dbmate');
      assert.ok(bin, 'the dbmate binary ships in @dbmate/linux-x64');
      const args = ['--url', `${url}?sslmode=disable`, '--migrations-dir', dir, '--no-dump-schema'];
      const r = await runTool(bin, [...args, 'up'], dir);
      assert.equal(r.code, 0, r.output);
      return async () => {
        for (const _ of await filesIn(dir, /\.sql$/)) {
          const down = await runTool(bin, [...args, 'rollback'], dir);
          assert.equal(down.code, 0, down.output);
        }
      };
    },
  },
  {
    tool: 'supabase',
    async up(url, dir, project) {
      const r = await runTool(BIN('supabase'), ['db', 'push', '--db-url', url, '--workdir', project, '--yes'], project, { SUPABASE_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' });
      assert.equal(r.code, 0, r.output);
      // Supabase has no down: pgrescue's undo files sit beside the migrations folder, for psql.
      return async () => applyFiles(url, (await filesIn(join(dir, '..', 'pgrescue-down'), /\.down\.sql$/)).reverse());
    },
  },
  {
    tool: 'drizzle',
    async up(url, dir, project) {
      // First the side folder (psql), then drizzle-kit migrate for the journal.
      await applyFiles(url, await filesIn(join(dir, 'pgrescue-outside-transaction'), /\.up\.sql$/));
      await writeFile(join(project, 'drizzle.config.json'), JSON.stringify({ dialect: 'postgresql', out: dir, dbCredentials: { url } }));
      const r = await runTool(BIN('drizzle-kit'), ['migrate', '--config', 'drizzle.config.json'], project);
      assert.equal(r.code, 0, r.output);
      // Undo in reverse: the journal's steps, then the side folder's.
      return async () => {
        await applyFiles(url, (await filesIn(join(dir, 'pgrescue-down'), /\.down\.sql$/)).reverse());
        await applyFiles(url, (await filesIn(join(dir, 'pgrescue-outside-transaction'), /\.down\.sql$/)).reverse());
      };
    },
  },
  {
    tool: 'golang-migrate',
    async up(url, dir) {
      await applyAsOneQuery(url, await filesIn(dir, /\.up\.sql$/));
      return async () => applyAsOneQuery(url, (await filesIn(dir, /\.down\.sql$/)).reverse());
    },
  },
  {
    tool: 'prisma',
    async up(url, dir) {
      const folders = (await readdir(dir)).sort();
      await applyAsOneQuery(url, folders.map((f) => join(dir, f, 'migration.sql')));
      return async () => applyAsOneQuery(url, folders.reverse().map((f) => join(dir, f, 'down.sql')));
    },
  },
  {
    tool: 'flyway',
    async up(url, dir) {
      await applyFiles(url, await filesIn(dir, /^V.*\.sql$/));
      return async () => applyFiles(url, (await filesIn(dir, /^U.*\.sql$/)).reverse());
    },
  },
  {
    tool: 'rails',
    async up(url, dir) {
      // No Ruby here: the SQL of each heredoc, in order, as ActiveRecord's execute would send it.
      const heredocs = async (which: 'up' | 'down', files: string[]) => {
        for (const file of files) {
          const text = await readFile(file, 'utf8');
          const body = text.split(`  def ${which}\n`)[1]!.split('\n  end')[0]!;
          for (const m of body.matchAll(/execute <<~'PGRESCUE_SQL'\n([\s\S]*?)\n\s*PGRESCUE_SQL/g)) {
            const client = new pg.Client({ connectionString: url });
            await client.connect();
            try {
              const sql = m[1]!.replace(/^ {6}/gm, '');
              if (text.includes('disable_ddl_transaction!')) await client.query(sql);
              else await client.query(`BEGIN;\n${sql}\nCOMMIT;`);
            } finally {
              await client.end();
            }
          }
        }
      };
      const files = await filesIn(dir, /\.rb$/);
      await heredocs('up', files);
      return async () => heredocs('down', [...files].reverse());
    },
  },
];

describe('migrate --tool: the real tools apply the files', () => {
  const server = useEmbeddedServer();

  for (const c of CASES) {
    it(`${c.tool}: up fixes every finding, down restores the schema`, async () => {
      const url = await defectDatabase(server(), c.tool.replace(/-/g, '_'));
      // The fixture's own schema: each tool adds its bookkeeping table in public.
      const before = shapeOf(await snapshotOf(url, ['Billing Ops']));
      const project = await mkdtemp(join(tmpdir(), `pgrescue-${c.tool}-`));
      const dir = c.tool === 'supabase' ? join(project, 'supabase', 'migrations') : join(project, 'migrations');
      await migrate(url, c.tool, dir);
      const listing = async () => (await readdir(dir, { recursive: true })).sort();
      const files = await listing();
      // A second run writes nothing new: every step is there already, each skipped with one line.
      const again = await runCli(['migrate', '--url', url, '--tool', c.tool, '--out', dir, '--rules', RULES.join(','), '--include', 'review']);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /0 migrations written/);
      assert.deepEqual(await listing(), files);
      const down = await c.up(url, dir, project);
      await assertFixed(url, c.tool);
      await down();
      assert.deepEqual(shapeOf(await snapshotOf(url, ['Billing Ops'])), before, `${c.tool}: down restores the schema`);
    });
  }
});
