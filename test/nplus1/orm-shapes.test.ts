import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import pg from 'pg';
import { ensureParser } from '../../src/sql/parser.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { databaseWith, useEmbeddedServer } from '../harness/server.js';

before(ensureParser);

const SCHEMA = `
CREATE TABLE posts (id serial PRIMARY KEY, title text);
CREATE TABLE comments (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES posts (id), body text);
CREATE TABLE likes (id serial PRIMARY KEY, post_id int NOT NULL REFERENCES posts (id));
INSERT INTO posts (title) SELECT 't' || g FROM generate_series(1, 100) g;
INSERT INTO comments (post_id, body) SELECT 1 + g % 100, 'c' FROM generate_series(1, 300) g;
INSERT INTO likes (post_id) SELECT 1 + g % 100 FROM generate_series(1, 300) g;
`;

/** Ten pages of ten post ids (the list's first column), as an app lists them, with `perRow` run for each post and `perPage` after each page. */
async function pages(url: string, listSql: string, perRow: (client: pg.Client, id: number) => Promise<unknown>, perPage?: (client: pg.Client, ids: number[]) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let page = 0; page < 10; page++) {
      // The id is the list's first column, whatever the ORM calls it.
      const ids = (await client.query<Record<string, number>>(listSql, [page * 10])).rows.map((r) => Object.values(r)[0]!);
      for (const id of ids) await perRow(client, id);
      await perPage?.(client, ids);
    }
  } finally {
    await client.end();
  }
}

/**
 * Loops in the shapes ORMs send by default, on PostgreSQL 18 (which squashes IN lists in pg_stat_statements):
 * a lazy has-many returning three rows per call, TypeORM's `IN ($1)` per row, and the batched `IN (…)` that
 * replaces a loop, which must stay apart from it and never be flagged.
 */
describe('N+1 in the shapes ORMs send', () => {
  const server = useEmbeddedServer();

  it('finds a lazy has-many (3 rows per call) and an IN ($1) loop; a batched IN list is neither merged nor flagged', async () => {
    const url = await databaseWith(server(), SCHEMA, 'orm_shapes');
    await pages(
      url,
      'SELECT id, title FROM posts ORDER BY id LIMIT 10 OFFSET $1',
      async (client, id) => {
        await client.query('SELECT id, body FROM comments WHERE post_id = $1', [id]);
        await client.query('SELECT id FROM likes WHERE likes.post_id IN ($1)', [id]);
      },
      // The batched load a fixed page does instead: one list of ten keys.
      (client, ids) => client.query(`SELECT id FROM likes WHERE likes.post_id IN (${ids.map((_, i) => `$${i + 1}`).join(', ')})`, ids),
    );
    const found = findingsOf(await scanDatabase(url, ['n-plus-one']), 'n-plus-one');
    const tables = found.map((f) => f.object.table).sort();
    assert.deepEqual(tables, ['comments', 'likes'], JSON.stringify(found.map((f) => f.message)));
    const likes = found.find((f) => f.object.table === 'likes')!;
    assert.equal(likes.evidence.childCalls, 100, 'only the IN ($1) loop, not merged with the batched list');
    assert.equal(likes.evidence.mergedEntries, 1);
    assert.ok(!(likes.statements ?? []).some((st) => /FROM likes/.test(st.query) && /\$2|\/\*/.test(st.query)), 'the batched statement is not part of the finding');
  });

  it('finds relations loaded by joining their owner and binding its id (TypeORM), on the loaded table (the log path reads the same key: bench:orm)', async () => {
    const url = await databaseWith(
      server(),
      `CREATE TABLE "member" (id serial PRIMARY KEY, email text NOT NULL);
       CREATE TABLE "post" (id serial PRIMARY KEY, title text, "authorId" int NOT NULL REFERENCES "member" (id));
       CREATE TABLE "comment" (id serial PRIMARY KEY, body text, "postId" int NOT NULL REFERENCES "post" (id));
       INSERT INTO "member" (email) SELECT 'm' || g FROM generate_series(1, 50) g;
       INSERT INTO "post" (title, "authorId") SELECT 't' || g, 1 + g % 50 FROM generate_series(1, 100) g;
       INSERT INTO "comment" (body, "postId") SELECT 'c', 1 + g % 100 FROM generate_series(1, 300) g;`,
      'orm_joined',
    );
    await pages(url, 'SELECT "post"."id" AS "post_id" FROM "post" "post" ORDER BY "post"."id" LIMIT 10 OFFSET $1', async (client, id) => {
      await client.query('SELECT "comment"."id" AS "comment_id" FROM "comment" "comment" INNER JOIN "post" "comment__comment_post" ON "comment__comment_post"."id"="comment"."postId" WHERE (("comment__comment_post"."id" = $1))', [id]);
      await client.query('SELECT "author"."id" AS "author_id", "author"."email" AS "author_email" FROM "member" "author" INNER JOIN "post" "post" ON "post"."authorId" = "author"."id" WHERE "post"."id" IN ($1)', [id]);
    });
    const found = findingsOf(await scanDatabase(url, ['n-plus-one']), 'n-plus-one');
    assert.deepEqual(found.map((f) => [f.object.table, f.object.columns?.[0], f.evidence.lookup]).sort(), [
      ['comment', 'postId', 'children-of-row'],
      ['member', 'id', 'parent-of-row'],
    ]);
  });
});
