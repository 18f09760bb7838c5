import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ormStyle } from '../../src/nplus1/orm-style.js';
import { ormHints } from '../../analyzers/performance/n-plus-one.js';

// Texts as pg_stat_statements recorded them for the libraries bench/orm-suite.ts drives (Sequelize 6, TypeORM 1,
// Drizzle 0.45, Knex 3, Kysely 0.28), and Prisma's and ActiveRecord's documented shapes.
const CAPTURED: [string, ReturnType<typeof ormStyle>][] = [
  ['SELECT "id", "body", "createdAt", "updatedAt", "PostId", "authorId" FROM "Comments" AS "Comment" WHERE "Comment"."PostId" = $1', 'sequelize'],
  ['SELECT "comment"."id" AS "comment_id", "comment"."body" AS "comment_body" FROM "comment" "comment" INNER JOIN "post" "comment__comment_post" ON "comment__comment_post"."id"="comment"."postId" WHERE (((("comment__comment_post"."id" = $1))))', 'typeorm'],
  ['SELECT "author"."id" AS "author_id", "author"."email" AS "author_email" FROM "member" "author" INNER JOIN "post" "post" ON "post"."authorId" = "author"."id" WHERE "post"."id" IN ($1)', 'typeorm'],
  ['select "id", "body", "post_id", "author_id" from "comments" where "comments"."post_id" = $1', 'drizzle'],
  ['select * from "comments" where "post_id" = $1', 'knex-kysely'],
  ['select * from "members" where "id" = $1 limit $2', 'knex-kysely'],
  ['SELECT "public"."Comment"."id", "public"."Comment"."postId" FROM "public"."Comment" WHERE "public"."Comment"."postId" IN ($1) OFFSET $2', 'prisma'],
  ['SELECT "comments".* FROM "comments" WHERE "comments"."post_id" = $1', 'activerecord'],
  ['SELECT id, body, author_id FROM comments WHERE post_id = $1', null],
  ['/* app */ SELECT c.id FROM comments c WHERE c.post_id = $1', null],
];

describe('which library wrote a statement, from its SQL', () => {
  for (const [text, orm] of CAPTURED) it(`${orm ?? 'hand-written'}: ${text.slice(0, 70)}`, () => assert.equal(ormStyle(text), orm));

  it("names only the recognized library's option, and every library's when none is recognized", () => {
    assert.equal(ormHints('comments', 'post_id', false, true, 'typeorm'), 'TypeORM (recognized from its SQL): relations: { comments: true } (or a leftJoinAndSelect), or one find with In(ids).');
    const all = ormHints('comments', 'post_id', false, true, null);
    for (const name of ['Prisma', 'Drizzle', 'Sequelize', 'TypeORM', 'Knex / Kysely', 'ActiveRecord']) assert.ok(all.includes(`${name}:`), name);
  });
});
