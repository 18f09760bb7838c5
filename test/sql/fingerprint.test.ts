import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { canonicalText, statementFingerprint } from '../../src/sql/fingerprint.js';
import { ensureParser, parseTree } from '../../src/sql/parser.js';
import { splitStatements } from '../../src/sql/split.js';
import { CORPUS } from '../harness/corpus.js';

/** The identity's definition, written the plain way: a canonical copy of the tree, then JSON.stringify. */
function reference(node: unknown): unknown {
  const isValue = (n: unknown): boolean => n !== null && typeof n === 'object' && ('ParamRef' in n || 'A_Const' in n);
  if (Array.isArray(node)) return node.map(reference);
  if (node === null || typeof node !== 'object') return node;
  if (isValue(node)) return { value: true };
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (['location', 'stmt_location', 'stmt_len', 'rexpr_list_start', 'rexpr_list_end'].includes(key)) continue;
    out[key] = reference(value);
  }
  const expr = (node as { A_Expr?: { kind?: string; rexpr?: { List?: { items?: unknown[] } } } }).A_Expr;
  const items = expr?.rexpr?.List?.items;
  if (expr?.kind === 'AEXPR_IN' && items && items.length > 0 && items.every(isValue)) out.A_Expr = { ...(out.A_Expr as object), rexpr: { List: { items: [{ value: true }] } } };
  return out;
}

const STATEMENTS = [
  'SELECT * FROM members WHERE id IN ($1, $2, $3)',
  'SELECT * FROM members WHERE id = ANY($1)',
  `SELECT m."firstName", 'x' AS y FROM public.members m JOIN memberships s ON s.member_id = m.id WHERE s.status IN ('a','b') AND m.id NOT IN ($1) ORDER BY 1 LIMIT 10`,
  'WITH x AS (SELECT 1) INSERT INTO t (a) SELECT * FROM x ON CONFLICT (a) DO UPDATE SET a = excluded.a RETURNING *',
  'UPDATE "Post" SET "title" = $1, "updatedAt" = now() WHERE "id" = $2 AND "authorId" IN (SELECT "id" FROM "User" WHERE "role" = \'ADMIN\')',
];

describe('statement identity (finding ids of statements: baselines and ignore lists depend on it)', () => {
  it('is the same text the plain definition gives, on the corpus schemas and on DML', async () => {
    await ensureParser();
    const texts = [...STATEMENTS];
    for (const app of ['lemmy', 'documenso', 'lago', 'supabase_auth', 'basejump']) {
      const file = join(CORPUS, app, 'schema.sql');
      if (existsSync(file)) texts.push(...splitStatements(readFileSync(file, 'utf8')).statements.map((s) => s.text));
    }
    let compared = 0;
    for (const text of texts) {
      let stmts: unknown;
      try {
        stmts = parseTree(text).stmts ?? [];
      } catch {
        continue;
      }
      assert.equal(canonicalText(stmts), JSON.stringify(reference(stmts)), text.slice(0, 200));
      compared++;
    }
    assert.ok(compared >= STATEMENTS.length);
  });

  it('keeps the ids recorded before the direct writer (2026-12-06)', async () => {
    await ensureParser();
    assert.equal(statementFingerprint(STATEMENTS[0]!), '31305d878cfe2fc0');
    assert.equal(statementFingerprint('SELECT * FROM members WHERE id IN (1, 2)'), '31305d878cfe2fc0', 'IN lists of any length are one');
    assert.equal(statementFingerprint(STATEMENTS[1]!), '8e8c0d1cbd94bf9e', '= ANY($1) is not IN (…)');
    assert.equal(statementFingerprint(STATEMENTS[2]!), '4f14a723203a4f54');
    assert.equal(statementFingerprint(STATEMENTS[3]!), 'd341e135c07968d8');
    assert.equal(statementFingerprint('not sql at all'), '769623fa37d92d23');
    assert.equal(statementFingerprint('SELECT  *  FROM members\n WHERE id = 7'), statementFingerprint('select * from members where id = $1'));
  });
});
