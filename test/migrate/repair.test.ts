import { withoutGuard } from '../../src/migrate/decision.js';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { ensureParser } from '../../src/sql/parser.js';
import { applyFiles } from '../harness/apply-sql.js';
import { runCli } from '../harness/cli.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import { squawk } from '../harness/squawk.js';

before(ensureParser);

/** Planted damage: case-duplicate emails, duplicate membership pairs, orphan comments. */
const DAMAGED = `
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE communities (id bigint PRIMARY KEY, name text);
CREATE TABLE memberships (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), community_id bigint NOT NULL REFERENCES communities(id), status text NOT NULL);
CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), membership_id bigint REFERENCES memberships(id), amount_cents int NOT NULL);
CREATE TABLE posts (id bigint PRIMARY KEY, title text);
CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint, author_id bigint, body text);
INSERT INTO members SELECT g, 'm' || g || '@x.io' FROM generate_series(1, 10) g;
INSERT INTO members VALUES (11, 'M1@X.IO'), (12, 'm2@X.io'), (13, 'M2@x.IO');
INSERT INTO communities VALUES (1, 'a'), (2, 'b');
INSERT INTO memberships VALUES (1, 1, 1, 'active'), (2, 2, 1, 'active'), (3, 3, 1, 'active'), (4, 11, 2, 'active'), (5, 11, 1, 'cancelled'), (6, 3, 1, 'active');
INSERT INTO payments VALUES (1, 11, 5, 100), (2, 1, 1, 200), (3, 3, 3, 300), (4, 3, 6, 400), (5, 11, 4, 500), (6, 11, 5, 600), (7, 3, 6, 700), (8, 11, 4, 800);
INSERT INTO posts SELECT g, 't' FROM generate_series(1, 3) g;
INSERT INTO comments VALUES (1, 1, 1, 'a'), (2, 2, 12, 'b'), (3, 99, 2, 'orphan post'), (4, 98, 3, 'orphan post'), (5, 3, 77, 'orphan author');
INSERT INTO comments SELECT g, 1 + g % 3, 1 + g % 10, 'ok' FROM generate_series(6, 20) g;
`;

const RULES = 'missing-foreign-key,missing-unique,missing-check';
// The keep rule: the live row (no soft-delete timestamp, an active-like status), then the most referenced, then the
// newest. Member 11 has 6 references (2 memberships, 4 payments) against member 1's 5 (1 membership, 1 payment,
// 3 comments), so 11 is kept.

describe('the repair plan on a damaged database', () => {
  const server = useEmbeddedServer();

  it('ends with valid constraints, duplicates merged into the most referenced row, references repointed, orphans gone', async () => {
    const url = await databaseWith(server(), DAMAGED, 'repair');
    const dir = await mkdtemp(join(tmpdir(), 'pgrescue-repair-'));
    const r = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--rules', RULES, '--include', 'review,decision']);
    assert.equal(r.code, 0, r.stderr);
    const files = (await readdir(dir)).sort().map((f) => join(dir, f));
    assert.deepEqual(squawk(files).map((v) => `${v.file}:${v.line} ${v.rule_name}: ${v.message}`), []);
    const ups = files.filter((f) => f.endsWith('.up.sql'));
    // Destructive steps are their own files, marked in the header.
    for (const f of ups.filter((x) => /cleanup_|dedupe_/.test(x))) assert.match(await readFile(f, 'utf8'), /-- DESTRUCTIVE/);
    // Which duplicate to keep and what an orphan means are decisions: those files refuse to run unedited.
    const decisions = ups.filter((x) => /cleanup_|dedupe_/.test(x));
    assert.ok(decisions.length >= 3);
    for (const f of decisions) {
      const text = await readFile(f, 'utf8');
      assert.match(text, /^-- DECISION REQUIRED before this file can run:$/m);
      assert.match(text, /^-- risk: decision /m);
      await assert.rejects(applyFiles(url, [f]), /pgrescue: decision required/, `${f} stops before changing anything`);
    }
    // The user's decisions: keep the proposed dedupe; delete the orphans (choice 1); then the guard goes.
    for (const f of decisions) {
      const text = withoutGuard(await readFile(f, 'utf8'));
      await writeFile(f, /cleanup_orphans_/.test(f) ? text.replace(/^-- (DELETE FROM .*)$/m, '$1') : text);
    }
    await applyFiles(url, ups);

    const q = async (sql: string): Promise<unknown[]> => (await execSql(url, sql)).rows.map((row) => Object.values(row as object).join(':'));
    assert.deepEqual(await q('SELECT id FROM members ORDER BY id'), ['2', '3', '4', '5', '6', '7', '8', '9', '10', '11'], 'member 11 (more referenced) kept over 1; 2 kept over 12 and 13');
    // (11, 1) twice once member 1 merged into 11: the active membership 1 is kept over the cancelled 5, though 5 has
    // more payments (the live row first); (3, 1): both active, 6 has more payments.
    assert.deepEqual(await q('SELECT id, member_id, community_id, status FROM memberships ORDER BY id'), ['1:11:1:active', '2:2:1:active', '4:11:2:active', '6:3:1:active']);
    assert.deepEqual(await q('SELECT id, member_id, membership_id FROM payments ORDER BY id'), ['1:11:1', '2:11:1', '3:3:6', '4:3:6', '5:11:4', '6:11:1', '7:3:6', '8:11:4'], 'payments repointed, none lost');
    assert.deepEqual(await q('SELECT id, author_id FROM comments WHERE id <= 5 ORDER BY id'), ['1:11', '2:2'], 'orphans deleted, author 12 repointed to 2');
    assert.deepEqual(await q('SELECT count(*) FROM comments'), ['17']);
    assert.deepEqual(await q("SELECT count(*) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND NOT convalidated"), ['0'], 'every constraint validated');
    assert.deepEqual(await q("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid WHERE c.relnamespace = 'public'::regnamespace AND NOT i.indisvalid"), ['0']);
    await assert.rejects(execSql(url, "INSERT INTO members VALUES (50, 'M3@X.IO')"), /duplicate key/);
    await assert.rejects(execSql(url, "INSERT INTO comments VALUES (100, 1000, 1, 'x')"), /foreign key/);

    const after = await scanDatabase(url, RULES.split(','));
    assert.deepEqual(after.findings.map((f) => f.id), []);
  });
});
