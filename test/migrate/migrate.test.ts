import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { objectName, quoteIdent } from '../../src/sql/quote.js';
import { slug } from '../../src/migrate/write.js';
import { ensureParser } from '../../src/sql/parser.js';
import { applyFiles } from '../harness/apply-sql.js';
import { runCli } from '../harness/cli.js';
import { findingsOf, scanDatabase, snapshotOf } from '../harness/scan.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import { squawk } from '../harness/squawk.js';
import { DEFECTS, RULES, shapeOf } from '../harness/migration-defects.js';

before(ensureParser);


describe('pgrescue migrate on a real server', () => {
  const server = useEmbeddedServer();

  it('writes squawk-clean files that fix every finding, and down files that restore the schema', async () => {
    const url = await databaseWith(server(), DEFECTS, 'migrate');
    // A failed concurrent build leaves an INVALID index; then the duplicates are cleaned up.
    await assert.rejects(execSql(url, 'CREATE UNIQUE INDEX CONCURRENTLY broken_email ON "Billing Ops".broken (email)'));
    await execSql(url, 'DELETE FROM "Billing Ops".broken WHERE id = 2');

    const before = await scanDatabase(url, RULES);
    const fixable = before.findings.filter((f) => f.migrations && f.migrations.length > 0);
    assert.deepEqual([...new Set(fixable.map((f) => f.rule))].sort(), [...RULES].sort(), 'every rule has a fixable finding here');
    const schemaBefore = shapeOf(await snapshotOf(url));

    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-migrations-'));
    // By default only safe steps: the drops, the primary key and the type change are review steps.
    const safeOnly = await mkdtemp(join(tmpdir(), 'pgrescue-safe-'));
    const d = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', safeOnly, '--rules', RULES.join(',')]);
    assert.equal(d.code, 0, d.stderr);
    assert.match(d.stderr, /steps left out \(\d+ review, 0 decision\): add them with --include review,decision/);
    const safeFiles = (await readdir(safeOnly)).filter((f) => f.endsWith('.up.sql'));
    assert.ok(safeFiles.length > 0);
    for (const f of safeFiles) assert.match(await readFile(join(safeOnly, f), 'utf8'), /^-- risk: safe /m, f);
    assert.ok(!safeFiles.some((f) => /drop_index|primary_key|widen/.test(f)), safeFiles.join(', '));

    const r = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--rules', RULES.join(','), '--include', 'review,decision']);
    assert.equal(r.code, 0, r.stderr);
    const files = (await readdir(dir)).sort();
    assert.ok(files.length >= 2 * fixable.length);
    for (const f of files) assert.match(f, /^\d{14}_\d{3}_[a-z0-9_]+\.(up|down)\.sql$/);
    const ups = files.filter((f) => f.endsWith('.up.sql')).map((f) => join(dir, f));
    const downs = files.filter((f) => f.endsWith('.down.sql')).map((f) => join(dir, f)).reverse();

    // Each CONCURRENTLY statement stands alone in its file, outside any transaction.
    for (const file of ups) {
      const sql = await readFile(file, 'utf8');
      if (/CONCURRENTLY/.test(sql.replace(/--.*$/gm, ''))) {
        assert.doesNotMatch(sql, /^BEGIN;/m, file);
        assert.equal(sql.replace(/--.*$/gm, '').match(/CONCURRENTLY/g)?.length, 1, `${file} holds one concurrent statement`);
      }
    }

    const violations = squawk(files.map((f) => join(dir, f)));
    assert.deepEqual(violations.map((v) => `${v.file}:${v.line} ${v.rule_name}: ${v.message}`), []);

    await applyFiles(url, ups);
    const after = await scanDatabase(url, RULES);
    assert.deepEqual(after.findings.map((f) => f.id), [], 'every finding is fixed');

    await applyFiles(url, downs);
    assert.deepEqual(shapeOf(await snapshotOf(url)), schemaBefore, 'down files restore the schema');

    const again = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--rules', RULES.join(','), '--include', 'review,decision']);
    assert.equal(again.code, 0, again.stderr);
    // (The invalid index is gone for good after the round trip: its steps are no longer planned.)
    const skippedFiles = again.stderr.split('\n').flatMap((l) => /^skipped (.*): written by an earlier run$/.exec(l)?.[1] ?? []);
    assert.ok(skippedFiles.length >= ups.length - 2 && skippedFiles.every((f) => ups.includes(f)), `one line per step already there: ${again.stderr}`);
    assert.match(again.stderr, /0 migrations written to .*, \d+ already there/);
    assert.deepEqual((await readdir(dir)).sort(), files, 'nothing was written');
    // One new defect later: only its steps are written, numbered after the existing files.
    await execSql(url, 'CREATE TABLE later_child (id int PRIMARY KEY, parent_id bigint REFERENCES "Billing Ops".broken(id))');
    const more = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--rules', RULES.join(','), '--include', 'review,decision']);
    assert.equal(more.code, 0, more.stderr);
    const added = (await readdir(dir)).filter((f) => !files.includes(f));
    assert.ok(added.length >= 2 && added.every((f) => f.includes('later_child')), added.join(', '));
    const lastOld = files.map((f) => Number(f.slice(15, 18))).reduce((a, b) => Math.max(a, b), 0);
    assert.ok(added.every((f) => Number(f.slice(15, 18)) > lastOld), 'new steps come after the old ones');
    const forced = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--rules', RULES.join(','), '--include', 'review,decision', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual((await readdir(dir)).sort(), [...files, ...added].sort(), '--force rewrote the same files');
  });

  it('plans from a snapshot offline and lists files with --dry-run', async () => {
    const url = await databaseWith(server(), 'CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a(id));', 'dryrun');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-snapmig-'));
    const snapFile = join(dir, 'snap.json');
    assert.equal((await runCli(['snapshot', '--url', url, '--out', snapFile])).code, 0);
    const dry = await runCli(['migrate', '--tool', 'plain', '--snapshot', snapFile, '--out', join(dir, 'm'), '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /create_index_b_a_id_idx \[safe\] \(no transaction\) — unindexed-foreign-key:public\.b:a_id/);
    const bad = await runCli(['migrate', '--tool', 'plain', '--snapshot', snapFile, '--out', join(dir, 'm'), '--include', 'risky']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), 'pgrescue: unknown --include "risky" (use review, decision, or both: --include review,decision)');
    assert.deepEqual(await readdir(dir), ['snap.json']);
  });
});

describe('identifiers in generated SQL', () => {
  it('quotes only what needs quoting', () => {
    assert.equal(quoteIdent('members'), 'members');
    assert.equal(quoteIdent('Members'), '"Members"');
    assert.equal(quoteIdent('order'), '"order"');
    assert.equal(quoteIdent('user'), '"user"');
    assert.equal(quoteIdent('order ref'), '"order ref"');
    assert.equal(quoteIdent('cafés'), '"cafés"');
    assert.equal(quoteIdent('say "hi"'), '"say ""hi"""');
    assert.equal(quoteIdent('1st'), '"1st"');
  });

  it('keeps generated names within 63 bytes without collisions', () => {
    const long = 'a'.repeat(70);
    const a = objectName([long, 'member_id'], 'idx');
    const b = objectName([long, 'member_ix'], 'idx');
    assert.ok(Buffer.byteLength(a) <= 63 && Buffer.byteLength(b) <= 63);
    assert.notEqual(a, b);
    assert.equal(objectName(['posts', 'author_id'], 'idx'), 'posts_author_id_idx');
    assert.equal(slug('create_index_Billing Ops_naïve'), 'create_index_billing_ops_naive');
  });
});

export { findingsOf };
