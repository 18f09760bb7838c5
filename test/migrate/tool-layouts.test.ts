import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { PlannedMigration } from '../../src/migrate/plan.js';
import { createIndexMigration } from '../../src/migrate/recipes.js';
import { inTransaction } from '../../src/migrate/transaction.js';
import { detectTool } from '../../src/migrate/tools/detect.js';
import { toolFormat } from '../../src/migrate/tools/index.js';
import { railsClassName } from '../../src/migrate/tools/rails.js';
import { TOOL_NAMES } from '../../src/migrate/tools/tool.js';
import type { ToolName } from '../../src/migrate/tools/tool.js';
import { nextVersions } from '../../src/migrate/tools/versions.js';
import { writeMigrations } from '../../src/migrate/write.js';
import { ensureParser } from '../../src/sql/parser.js';

before(ensureParser);

/** Each tool's documented rules, checked on the files of a plan with both kinds of step, over two runs. */

function step(name: string, concurrent: boolean): PlannedMigration {
  const migration = concurrent
    ? createIndexMigration({ schema: 'public', table: 'posts', name, keys: ['"author_id"'] }, `index ${name}`)
    : {
        risk: 'safe' as const,
        name,
        up: inTransaction(`constraint ${name}`, [`ALTER TABLE posts ADD CONSTRAINT ${name} CHECK (id > 0) NOT VALID;`]),
        down: inTransaction(`undo ${name}`, [`ALTER TABLE posts DROP CONSTRAINT ${name};`]),
        transactional: true,
        lock: 'SHARE UPDATE EXCLUSIVE' as const,
      };
  return { findingId: `rule:public.posts:${name}`, rule: 'rule', migration };
}

const FIRST = [step('posts_author_id_idx', true), step('posts_id_check', false)];
const SECOND = [...FIRST, step('posts_title_idx', true)];

async function twice(tool: ToolName): Promise<{ dir: string; first: string[]; second: string[] }> {
  const dir = join(await mkdtemp(join(tmpdir(), `pgrescue-layout-${tool}-`)), 'migrations');
  const options = { dir, force: false, toolVersion: 'test', tool: toolFormat(tool) };
  const a = await writeMigrations(FIRST, { ...options, now: new Date('2026-12-05T10:00:00Z') });
  // A later run, with the clock behind the first (another machine): versions still sort after the folder's.
  const b = await writeMigrations(SECOND, { ...options, now: new Date('2026-12-05T09:00:00Z') });
  assert.equal(b.skipped.length, 2, `${tool}: the two steps already written are skipped`);
  assert.equal(b.written.length, 1, `${tool}: only the new step is written`);
  return { dir, first: a.written.flatMap((w) => w.files), second: b.written.flatMap((w) => w.files) };
}

const base = (f: string): string => f.split('/').slice(-1)[0]!;

describe('migrate --tool: each tool\'s layout and naming', () => {
  it('versions are unique and increase across runs, in every layout', async () => {
    for (const tool of TOOL_NAMES) {
      const { first, second } = await twice(tool);
      const version = (f: string): string => /(?:^|\/)V?(\d+(?:_\d{3})?)/.exec(f.split('/migrations/')[1]!)![1]!;
      const ups = first.filter((f) => !/down|\/U|pgrescue-down/.test(f));
      const firstVersions = [...new Set(ups.map(version))];
      assert.ok(firstVersions.length >= 2 || tool === 'drizzle', `${tool}: one version per step (${ups.join(', ')})`);
      const later = second.filter((f) => !/down|\/U|pgrescue-down/.test(f)).map(version);
      for (const v of later) for (const w of firstVersions) assert.ok(v.length > w.length || (v.length === w.length && v > w), `${tool}: ${v} sorts after ${w}`);
    }
  });

  it('plain: .up.sql and .down.sql with <timestamp>_<nnn>', async () => {
    const { first } = await twice('plain');
    for (const f of first) assert.match(base(f), /^\d{14}_\d{3}_[a-z0-9_]+\.(up|down)\.sql$/);
  });

  it('golang-migrate: N_name.up.sql / N_name.down.sql; a CONCURRENTLY file is that one statement', async () => {
    const { first } = await twice('golang-migrate');
    for (const f of first) assert.match(base(f), /^\d+_pgrescue_[a-z0-9_]+\.(up|down)\.sql$/);
    const index = await readFile(first.find((f) => f.includes('author_id_idx') && f.endsWith('.up.sql'))!, 'utf8');
    assert.equal(index.split('\n').filter((l) => l && !l.startsWith('--')).length, 1, index);
  });

  it('dbmate: one file, -- migrate:up / -- migrate:down, transaction:false for CONCURRENTLY', async () => {
    const { first } = await twice('dbmate');
    const index = await readFile(first.find((f) => f.includes('author_id_idx'))!, 'utf8');
    assert.match(index, /^-- migrate:up transaction:false$/m);
    assert.match(index, /^-- migrate:down transaction:false$/m);
    const check = await readFile(first.find((f) => f.includes('id_check'))!, 'utf8');
    assert.match(check, /^-- migrate:up\n/);
    assert.doesNotMatch(check, /^BEGIN;|^COMMIT;/m, 'dbmate opens the transaction');
  });

  it('supabase: <timestamp>_name.sql, nothing but ups in the migrations folder', async () => {
    const { dir } = await twice('supabase');
    for (const f of await readdir(dir)) assert.match(f, /^\d{14}_pgrescue_[a-z0-9_]+\.sql$/);
    assert.ok((await readdir(join(dir, '..', 'pgrescue-down'))).every((f) => f.endsWith('.down.sql')));
  });

  it('flyway: V<version>__name.sql and U<version>__name.sql, a .conf turning the transaction off for CONCURRENTLY', async () => {
    const { dir } = await twice('flyway');
    const files = await readdir(dir);
    for (const f of files) assert.match(f, /^[VU]\d+__pgrescue_[a-z0-9_]+\.sql(\.conf)?$/);
    assert.equal(files.filter((f) => f.endsWith('.conf')).length, 4, 'V and U of the two index steps');
  });

  it('flyway: a name holding a placeholder (${…}) is refused before any file is written', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'pgrescue-layout-flyway-')), 'migrations');
    const hostile = step('posts_${flyway:defaultSchema}_idx', true);
    await assert.rejects(writeMigrations([FIRST[0]!, hostile], { dir, force: false, toolVersion: 'test', now: new Date(), tool: toolFormat('flyway') }), /Flyway would replace as a placeholder/);
    assert.deepEqual(await readdir(dir).catch(() => []), [], 'nothing written');
    // The other layouts write it as it is (they substitute nothing).
    await writeMigrations([hostile], { dir: `${dir}-plain`, force: false, toolVersion: 'test', now: new Date(), tool: toolFormat('plain') });
  });

  it('prisma: <timestamp>_name/migration.sql (one query) with down.sql beside it', async () => {
    const { dir } = await twice('prisma');
    for (const folder of await readdir(dir)) {
      assert.match(folder, /^\d{14}_pgrescue_[a-z0-9_]+$/);
      assert.deepEqual((await readdir(join(dir, folder))).sort(), ['down.sql', 'migration.sql']);
    }
  });

  it('drizzle: the journal lists every file once, in order, with increasing `when`; index builds in the side folder', async () => {
    const { dir } = await twice('drizzle');
    const journal = JSON.parse(await readFile(join(dir, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string; when: number }[] };
    const sql = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
    assert.deepEqual(journal.entries.map((e) => `${e.tag}.sql`), sql);
    assert.ok(journal.entries.every((e, i) => i === 0 || e.when > journal.entries[i - 1]!.when));
    assert.ok((await readdir(join(dir, 'pgrescue-outside-transaction'))).some((f) => f.includes('author_id_idx')));
  });

  it('rails: <timestamp>_name.rb whose class is the camelized name; disable_ddl_transaction! only for CONCURRENTLY', async () => {
    const { first } = await twice('rails');
    for (const f of first) {
      const m = /^\d+_(.+)\.rb$/.exec(base(f))!;
      const text = await readFile(f, 'utf8');
      assert.match(text, new RegExp(`^class ${railsClassName(m[1]!)} < ActiveRecord::Migration\\[7\\.0\\]$`, 'm'));
      assert.equal(text.includes('disable_ddl_transaction!'), f.includes('_idx'), f);
    }
    assert.equal(railsClassName('pgrescue_create_index_posts_2fa_idx'), 'PgrescueCreateIndexPosts2faIdx');
  });

  it('knex, node-pg-migrate, kysely: modules with up and down; CONCURRENTLY without the tool\'s transaction', async () => {
    const knex = await twice('knex');
    const index = await readFile(knex.first.find((f) => f.includes('author_id_idx'))!, 'utf8');
    assert.match(index, /^exports\.config = \{ transaction: false \};$/m);
    const npm = await twice('node-pg-migrate');
    assert.ok(npm.first.some((f) => f.endsWith('.mjs') && f.includes('author_id_idx')));
    const check = await readFile(npm.first.find((f) => f.includes('id_check'))!, 'utf8');
    assert.match(check, /^-- Up Migration$[\s\S]*^-- Down Migration$/m);
    const kysely = await twice('kysely');
    assert.match(await readFile(kysely.first.find((f) => f.includes('author_id_idx'))!, 'utf8'), /db\.connection\(\)\.execute/);
  });

  it('the next version after a folder counted 1, 2, 3 keeps counting; after timestamps, a later timestamp', () => {
    assert.deepEqual(nextVersions('timestamp', ['000001', '000002'], new Date(), 2), ['000003', '000004']);
    assert.deepEqual(nextVersions('timestamp', ['20991231235959'], new Date('2026-01-01T00:00:00Z'), 1), ['21000101000000']);
    assert.deepEqual(nextVersions('millis', ['9999999999999'], new Date(0), 2), ['10000000000000', '10000000000001']);
  });
});

describe('migrate: the tool is detected from the project', () => {
  const cases: [string, Record<string, string>, ToolName][] = [
    ['prisma', { 'prisma/schema.prisma': 'datasource db {}' }, 'prisma'],
    ['drizzle', { 'drizzle.config.ts': "export default { out: './db/drizzle' }" }, 'drizzle'],
    ['supabase', { 'supabase/config.toml': '' }, 'supabase'],
    ['knex', { 'knexfile.js': 'module.exports = {}' }, 'knex'],
    ['node-pg-migrate', { 'package.json': '{"devDependencies":{"node-pg-migrate":"8"}}' }, 'node-pg-migrate'],
    ['rails', { 'db/migrate/20240101000000_init.rb': '' }, 'rails'],
    ['flyway', { 'flyway.toml': '' }, 'flyway'],
    ['dbmate', { 'db/migrations/20240101000000_init.sql': '-- migrate:up\nSELECT 1;\n-- migrate:down\n' }, 'dbmate'],
    ['golang-migrate', { 'migrations/000001_init.up.sql': 'SELECT 1;' }, 'golang-migrate'],
    ['kysely', { 'package.json': '{"dependencies":{"kysely":"0.28","kysely-ctl":"0.1"}}' }, 'kysely'],
    ['nothing', { 'README.md': '' }, 'plain'],
    ['pgrescue plain files', { 'migrations/20240101000000_001_x.up.sql': '' }, 'plain'],
  ];
  for (const [label, files, tool] of cases) {
    it(`${label} -> ${tool}`, async () => {
      const project = await mkdtemp(join(tmpdir(), 'pgrescue-detect-'));
      for (const [path, text] of Object.entries(files)) {
        await mkdir(join(project, path, '..'), { recursive: true });
        await writeFile(join(project, path), text);
      }
      const detected = await detectTool(project);
      assert.equal(detected.tool, tool, detected.because);
      if (label === 'drizzle') assert.equal(detected.dir, './db/drizzle');
    });
  }
});
