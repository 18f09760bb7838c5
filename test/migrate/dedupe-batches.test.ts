import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { withoutGuard } from '../../src/migrate/decision.js';
import { DEDUPE_BATCH } from '../../src/migrate/dedupe.js';
import { ensureParser } from '../../src/sql/parser.js';
import { applyFiles } from '../harness/apply-sql.js';
import { runCli } from '../harness/cli.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';

before(ensureParser);

/**
 * 1,300 case-duplicate pairs on a uuid key (more than one batch), payments referencing both copies, and an app
 * table that happens to be called like the dedupe's scratch table.
 */
const SCHEMA = `
CREATE TABLE members (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), email text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE payments (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, member_id uuid NOT NULL REFERENCES members (id), amount_cents int NOT NULL);
CREATE TABLE pgrescue_dupes (note text);
INSERT INTO pgrescue_dupes VALUES ('the app''s own table');
INSERT INTO members (email) SELECT 'member' || g || '@example.com' FROM generate_series(1, 2000) g;
INSERT INTO members (email) SELECT 'MEMBER' || g || '@EXAMPLE.COM' FROM generate_series(1, 1300) g;
INSERT INTO payments (member_id, amount_cents) SELECT id, 100 FROM members;
INSERT INTO payments (member_id, amount_cents) SELECT id, 200 FROM members WHERE email LIKE 'MEMBER%';
`;

describe('the dedupe on a table with more duplicates than one batch', () => {
  const server = useEmbeddedServer();

  it('merges every group batch by batch on a uuid key, repoints every reference, and leaves an app table of the same name alone', async () => {
    const url = await databaseWith(server(), SCHEMA, 'dedupe_batches');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-dedupe-'));
    const r = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--rules', 'missing-unique', '--include', 'review,decision']);
    assert.equal(r.code, 0, r.stderr);
    const ups = (await readdir(dir)).filter((f) => f.endsWith('.up.sql')).sort().map((f) => join(dir, f));
    const dedupe = ups.find((f) => f.includes('dedupe_members'))!;
    const text = await readFile(dedupe, 'utf8');
    assert.match(text, /estimated duration: .*1,300 rows to remove in 2 batches of up to 1,000/);
    assert.ok(1300 > DEDUPE_BATCH);
    await assert.rejects(applyFiles(url, [dedupe]), /pgrescue: decision required/, 'unedited, it stops');
    await writeFile(dedupe, withoutGuard(text));
    const started = Date.now();
    await applyFiles(url, ups);
    assert.ok(Date.now() - started < 60_000);
    const q = async (sql: string): Promise<string[]> => (await execSql(url, sql)).rows.map((row) => Object.values(row as object).join(':'));
    assert.deepEqual(await q('SELECT count(*) AS a, count(DISTINCT lower(email)) AS b FROM members'), ['2000:2000']);
    // The upper-case copies had two payments each: the most referenced row of each pair is the one kept.
    assert.deepEqual(await q("SELECT count(*) FROM members WHERE email LIKE 'MEMBER%'"), ['1300']);
    assert.deepEqual(await q('SELECT count(*) AS a, sum(amount_cents) AS b FROM payments'), [`${3300 + 1300}:${3300 * 100 + 1300 * 200}`], 'no payment lost');
    assert.deepEqual(await q('SELECT count(*) FROM payments p LEFT JOIN members m ON m.id = p.member_id WHERE m.id IS NULL'), ['0'], 'every payment points at a kept member');
    assert.deepEqual(await q('SELECT note FROM public.pgrescue_dupes'), ["the app's own table"]);
    await assert.rejects(execSql(url, "INSERT INTO members (email) VALUES ('Member1@Example.com')"), /duplicate key/);
  });
});
