import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import pg from 'pg';
import { ensureParser } from '../../src/sql/parser.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';

before(ensureParser);

/** Sequelize's and Prisma's default naming: PascalCase tables, camelCase keys, all quoted. */
const SCHEMA = `
CREATE TABLE "Members" (id serial PRIMARY KEY, email text NOT NULL);
CREATE TABLE "Posts" (id serial PRIMARY KEY, "authorId" int NOT NULL REFERENCES "Members" (id), title text);
CREATE TABLE "Comments" (id serial PRIMARY KEY, "postId" int NOT NULL REFERENCES "Posts" (id), body text);
CREATE TABLE "Payments" (id serial PRIMARY KEY, "memberId" int NOT NULL REFERENCES "Members" (id), "amountCents" int NOT NULL);
INSERT INTO "Members" (email) SELECT 'm' || g || '@x.io' FROM generate_series(1, 50) g;
INSERT INTO "Posts" ("authorId", title) SELECT 1 + g % 50, 't' FROM generate_series(1, 200) g;
INSERT INTO "Comments" ("postId", body) SELECT 1 + g % 200, 'c' FROM generate_series(1, 600) g;
INSERT INTO "Payments" ("memberId", "amountCents") SELECT 1 + g % 50, 100 FROM generate_series(1, 100) g;
`;

describe('remediation SQL runs as written on quoted camelCase names', () => {
  const server = useEmbeddedServer();

  it('the batched query of an N+1 and the owner predicate of an IDOR both run', async () => {
    const url = await databaseWith(server(), SCHEMA, 'remediation');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let i = 0; i < 20; i++) {
        const posts = await client.query<{ id: number }>('SELECT id, title FROM "Posts" WHERE "authorId" = $1', [1 + (i % 50)]);
        for (const p of posts.rows) await client.query('SELECT count(*) FROM "Comments" WHERE "postId" = $1', [p.id]);
        await client.query('SELECT * FROM "Payments" WHERE id = $1', [1 + i]);
      }
    } finally {
      await client.end();
    }
    const report = await scanDatabase(url, ['n-plus-one', 'unscoped-access']);
    const loop = findingsOf(report, 'n-plus-one').find((f) => f.object.table === 'Comments');
    assert.ok(loop, JSON.stringify(findingsOf(report, 'n-plus-one').map((f) => f.id)));
    const batched = /Load them in one query: (SELECT .*? = ANY\(\$1\)(?: GROUP BY \S+)?) \(/.exec(loop.remediation)?.[1];
    assert.ok(batched, loop.remediation);
    const rows = (await execSql(url, batched, [[1, 2, 3]])).rows;
    assert.ok(rows.length > 0, `${batched} ran and found the comments of three posts`);
    const idor = findingsOf(report, 'unscoped-access').find((f) => f.object.table === 'Payments');
    assert.ok(idor);
    const predicate = /Add (AND .*?) to the WHERE clause/.exec(idor.remediation)?.[1];
    assert.ok(predicate, idor.remediation);
    // The statement as the app sends it, with the suggested predicate appended: it must plan as written.
    await execSql(url, `SELECT set_config('app.user_id', '3', false); PREPARE fixed(int) AS SELECT * FROM "Payments" WHERE id = $1 ${predicate}; EXECUTE fixed(1);`);
  });
});
