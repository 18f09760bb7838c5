import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeStatement } from '../../src/sql/analyze.js';
import { ensureParser } from '../../src/sql/parser.js';
import type { StatementShape } from '../../src/sql/shape.js';

before(ensureParser);

function shape(sql: string, resolver?: (s: string | null, t: string, c: string) => boolean): StatementShape {
  const parsed = analyzeStatement(sql, resolver);
  assert.ok(parsed.ok, `expected ${sql} to parse`);
  return parsed.shape;
}

/** "table.column op operand" for each predicate, for compact assertions. */
function preds(s: StatementShape): string[] {
  return s.predicates.map((p) => {
    const table = p.tableId === null ? '?' : s.tables[p.tableId]!.name;
    const col = p.expression ?? p.column;
    return `${table}.${col} ${p.op} ${p.operand}${p.inOr ? ' (or)' : ''}`;
  });
}

describe('SQL shapes from ORM-generated statements', () => {
  it('Prisma: fully qualified list query with ORDER BY … LIMIT', () => {
    const s = shape(
      'SELECT "public"."posts"."id", "public"."posts"."title" FROM "public"."posts" WHERE ("public"."posts"."community_id" = $1 AND "public"."posts"."deleted_at" IS NULL) ORDER BY "public"."posts"."created_at" DESC LIMIT $2 OFFSET $3',
    );
    assert.equal(s.kind, 'select');
    assert.deepEqual(s.tables.map((t) => `${t.schema}.${t.name}`), ['public.posts']);
    assert.deepEqual(preds(s), ['posts.community_id = param', 'posts.deleted_at IS NULL null']);
    assert.deepEqual(s.orderBy.map((o) => `${o.column}${o.desc ? ' desc' : ''}`), ['created_at desc']);
    assert.equal(s.limit, true);
    assert.equal(s.aggregate, false);
  });

  it('Prisma include: batched IN list', () => {
    const s = shape('SELECT "public"."comments"."id" FROM "public"."comments" WHERE "public"."comments"."post_id" IN ($1,$2,$3) OFFSET $4');
    assert.deepEqual(preds(s), ['comments.post_id IN list']);
  });

  it('Drizzle: unqualified columns resolve to the only table', () => {
    const s = shape('select "id", "title" from "posts" where "posts"."community_id" = $1 and "author_id" = $2');
    assert.deepEqual(preds(s), ['posts.community_id = param', 'posts.author_id = param']);
  });

  it('Sequelize: table alias', () => {
    const s = shape('SELECT "id", "email" FROM "members" AS "Member" WHERE "Member"."email" = $1 LIMIT 1');
    assert.equal(s.tables[0]!.alias, 'Member');
    assert.deepEqual(preds(s), ['members.email = param']);
  });

  it('ActiveRecord: table.* with two conditions', () => {
    const s = shape('SELECT "memberships".* FROM "memberships" WHERE "memberships"."member_id" = $1 AND "memberships"."status" = $2');
    assert.deepEqual(preds(s), ['memberships.member_id = param', 'memberships.status = param']);
  });

  it('joins: keys on both sides, unqualified columns pinned with the catalog', () => {
    const catalog: Record<string, string[]> = { memberships: ['id', 'member_id', 'community_id', 'status'], communities: ['id', 'name'] };
    const s = shape(
      'SELECT m.id, name FROM memberships m JOIN communities c ON c.id = m.community_id WHERE m.member_id = $1 AND status = $2',
      (_schema, table, column) => catalog[table]?.includes(column) ?? false,
    );
    assert.deepEqual(preds(s), ['communities.id = column', 'memberships.community_id = column', 'memberships.member_id = param', 'memberships.status = param']);
    const join = s.predicates[0]!;
    assert.equal(join.source, 'join');
    assert.equal(join.other?.column, 'community_id');
  });

  it('= ANY($1), expressions and OR branches', () => {
    const s = shape('SELECT id FROM members WHERE id = ANY($1) AND lower(email) = lower($2) AND (deleted_at IS NULL OR created_at > $3)');
    assert.deepEqual(preds(s), ['members.id ANY param', 'members.lower(email) = param', 'members.deleted_at IS NULL null (or)', 'members.created_at > param (or)']);
  });

  it('CTE names are not tables; the CTE body is walked', () => {
    const s = shape('WITH recent AS (SELECT id FROM posts WHERE community_id = $1 ORDER BY created_at DESC LIMIT $2) SELECT count(*) FROM comments c JOIN recent r ON r.id = c.post_id');
    assert.deepEqual(s.tables.map((t) => t.name).sort(), ['comments', 'posts']);
    assert.deepEqual(s.ctes, ['recent']);
    assert.ok(preds(s).includes('posts.community_id = param'));
    assert.ok(preds(s).includes('comments.post_id = column'));
    assert.equal(s.aggregate, true);
  });

  it('subqueries: IN (SELECT …) and correlated EXISTS', () => {
    const s = shape(
      'SELECT p.id FROM posts p WHERE p.community_id IN (SELECT community_id FROM memberships WHERE member_id = $1) AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.post_id = p.id)',
    );
    const list = preds(s);
    assert.ok(list.includes('posts.community_id IN subquery'));
    assert.ok(list.includes('memberships.member_id = param'));
    assert.ok(list.includes('comments.post_id = column'));
  });

  it('UPDATE and DELETE mark the target table', () => {
    const u = shape('UPDATE memberships SET status = $1 WHERE id = $2');
    assert.equal(u.kind, 'update');
    assert.equal(u.tables[0]!.target, true);
    assert.deepEqual(preds(u), ['memberships.id = param']);
    const d = shape('DELETE FROM invites USING communities WHERE invites.community_id = communities.id AND communities.owner_id = $1');
    assert.equal(d.kind, 'delete');
    assert.deepEqual(d.tables.map((t) => `${t.name}:${t.target}`), ['invites:true', 'communities:false']);
    assert.ok(preds(d).includes('communities.owner_id = param'));
  });

  it('INSERT … SELECT and MERGE', () => {
    const i = shape('INSERT INTO audit_events (member_id, action) SELECT id, $1 FROM members WHERE email = $2');
    assert.equal(i.kind, 'insert');
    assert.ok(preds(i).includes('members.email = param'));
    const m = shape('MERGE INTO memberships t USING plans p ON t.plan_id = p.id WHEN MATCHED THEN UPDATE SET status = $1');
    assert.equal(m.kind, 'merge');
  });

  it('aggregates: count(*) per call, window functions do not count', () => {
    assert.equal(shape('SELECT count(*) FROM comments WHERE post_id = $1').aggregate, true);
    assert.equal(shape('SELECT id, row_number() OVER (ORDER BY id) FROM comments').aggregate, false);
    assert.equal(shape('SELECT post_id, count(*) FROM comments GROUP BY post_id').groupBy, true);
  });

  it('parse failures are data, never exceptions', () => {
    const truncated = analyzeStatement('SELECT id FROM members WHERE email = ');
    assert.equal(truncated.ok, false);
    if (!truncated.ok) assert.equal(truncated.reason, 'parse-error');
    const utility = analyzeStatement('VACUUM ANALYZE members');
    assert.ok(utility.ok && utility.shape.kind === 'utility');
  });

  it('fingerprints merge IN lists of different lengths', () => {
    const a = analyzeStatement('SELECT id FROM comments WHERE post_id IN ($1, $2)');
    const b = analyzeStatement('SELECT id FROM comments WHERE post_id IN ($1, $2, $3, $4)');
    assert.ok(a.ok && b.ok);
    assert.equal(a.fingerprint, b.fingerprint);
  });
});
