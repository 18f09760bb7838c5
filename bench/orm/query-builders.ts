import knexFactory from 'knex';
import { Kysely, PostgresDialect } from 'kysely';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { integer, pgTable, serial, text } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Driver, Names } from './scenario.js';
import { execSql } from '../../test/harness/server.js';
import { PAGE, SEED } from './scenario.js';

/** snake_case plural tables, as the query builders' docs write them. */
const SNAKE: Names = { members: 'members', posts: 'posts', comments: 'comments', payments: 'payments', postAuthor: 'author_id', commentPost: 'post_id', commentAuthor: 'author_id', paymentMember: 'member_id', timestamps: [], email: 'email', title: 'title', body: 'body', amount: 'amount_cents' };

const DDL = `
  CREATE TABLE members (id serial PRIMARY KEY, email text NOT NULL);
  CREATE TABLE posts (id serial PRIMARY KEY, title text NOT NULL, author_id integer NOT NULL REFERENCES members (id));
  CREATE TABLE comments (id serial PRIMARY KEY, body text NOT NULL, post_id integer NOT NULL REFERENCES posts (id), author_id integer NOT NULL REFERENCES members (id));
  CREATE TABLE payments (id serial PRIMARY KEY, amount_cents integer NOT NULL, member_id integer NOT NULL REFERENCES members (id));`;

async function createWithDdl(url: string): Promise<Names> {
  await execSql(url, DDL);
  return SNAKE;
}

export const knex: Driver = {
  name: 'Knex 3',
  recognizedAs: 'Knex or Kysely',
  async setup(url) {
    const k = knexFactory({ client: 'pg', connection: url });
    try {
      await k.schema.createTable('members', (t) => { t.increments('id'); t.text('email').notNullable(); });
      await k.schema.createTable('posts', (t) => { t.increments('id'); t.text('title').notNullable(); t.integer('author_id').notNullable().references('members.id'); });
      await k.schema.createTable('comments', (t) => { t.increments('id'); t.text('body').notNullable(); t.integer('post_id').notNullable().references('posts.id'); t.integer('author_id').notNullable().references('members.id'); });
      await k.schema.createTable('payments', (t) => { t.increments('id'); t.integer('amount_cents').notNullable(); t.integer('member_id').notNullable().references('members.id'); });
    } finally {
      await k.destroy();
    }
    return SNAKE;
  },
  async run(url, _n, pages) {
    const k = knexFactory({ client: 'pg', connection: url, pool: { min: 1, max: 1 } });
    try {
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const posts = await k('posts').select('id', 'title', 'author_id').orderBy('id').limit(PAGE).offset(page * PAGE);
        for (const p of posts) {
          await k('comments').where('post_id', p.id);
          await k('members').where('id', p.author_id).first();
        }
        await k('comments').whereIn('post_id', posts.map((p) => p.id));
        await k('posts').join('members', 'members.id', 'posts.author_id').select('posts.id', 'posts.title', 'members.email').orderBy('posts.id').limit(PAGE).offset(page * PAGE);
        await k('payments').where('member_id', me);
        await k('payments').where('id', 1 + (page * 13) % SEED.payments).first();
      }
    } finally {
      await k.destroy();
    }
  },
};

interface KyselyDb {
  members: { id: number; email: string };
  posts: { id: number; title: string; author_id: number };
  comments: { id: number; body: string; post_id: number; author_id: number };
  payments: { id: number; amount_cents: number; member_id: number };
}

function kyselyOf(url: string): Kysely<KyselyDb> {
  return new Kysely<KyselyDb>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 1 }) }) });
}

export const kysely: Driver = {
  name: 'Kysely 0.28',
  recognizedAs: 'Knex or Kysely',
  async setup(url) {
    const db = kyselyOf(url);
    try {
      await db.schema.createTable('members').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('email', 'text', (c) => c.notNull()).execute();
      await db.schema.createTable('posts').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('title', 'text', (c) => c.notNull()).addColumn('author_id', 'integer', (c) => c.notNull().references('members.id')).execute();
      await db.schema.createTable('comments').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('body', 'text', (c) => c.notNull()).addColumn('post_id', 'integer', (c) => c.notNull().references('posts.id')).addColumn('author_id', 'integer', (c) => c.notNull().references('members.id')).execute();
      await db.schema.createTable('payments').addColumn('id', 'serial', (c) => c.primaryKey()).addColumn('amount_cents', 'integer', (c) => c.notNull()).addColumn('member_id', 'integer', (c) => c.notNull().references('members.id')).execute();
    } finally {
      await db.destroy();
    }
    return SNAKE;
  },
  async run(url, _n, pages) {
    const db = kyselyOf(url);
    try {
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const posts = await db.selectFrom('posts').select(['id', 'title', 'author_id']).orderBy('id').limit(PAGE).offset(page * PAGE).execute();
        for (const p of posts) {
          await db.selectFrom('comments').selectAll().where('post_id', '=', p.id).execute();
          await db.selectFrom('members').selectAll().where('id', '=', p.author_id).executeTakeFirst();
        }
        await db.selectFrom('comments').selectAll().where('post_id', 'in', posts.map((p) => p.id)).execute();
        await db.selectFrom('posts').innerJoin('members', 'members.id', 'posts.author_id').select(['posts.id', 'posts.title', 'members.email']).orderBy('posts.id').limit(PAGE).offset(page * PAGE).execute();
        await db.selectFrom('payments').selectAll().where('member_id', '=', me).execute();
        await db.selectFrom('payments').selectAll().where('id', '=', 1 + (page * 13) % SEED.payments).executeTakeFirst();
      }
    } finally {
      await db.destroy();
    }
  },
};

const members = pgTable('members', { id: serial('id').primaryKey(), email: text('email').notNull() });
const posts = pgTable('posts', { id: serial('id').primaryKey(), title: text('title').notNull(), authorId: integer('author_id').notNull() });
const comments = pgTable('comments', { id: serial('id').primaryKey(), body: text('body').notNull(), postId: integer('post_id').notNull(), authorId: integer('author_id').notNull() });
const payments = pgTable('payments', { id: serial('id').primaryKey(), amountCents: integer('amount_cents').notNull(), memberId: integer('member_id').notNull() });

export const drizzleOrm: Driver = {
  name: 'Drizzle 0.45',
  recognizedAs: 'Drizzle',
  // drizzle-kit would create these tables from the definitions above; DDL is what it writes for them.
  setup: createWithDdl,
  async run(url, _n, pages) {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    const db = drizzle(pool);
    try {
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const list = await db.select().from(posts).orderBy(asc(posts.id)).limit(PAGE).offset(page * PAGE);
        for (const p of list) {
          await db.select().from(comments).where(eq(comments.postId, p.id));
          await db.select().from(members).where(eq(members.id, p.authorId)).limit(1);
        }
        await db.select().from(comments).where(inArray(comments.postId, list.map((p) => p.id)));
        await db.select({ id: posts.id, title: posts.title, email: members.email }).from(posts).innerJoin(members, eq(members.id, posts.authorId)).orderBy(asc(posts.id)).limit(PAGE).offset(page * PAGE);
        await db.select().from(payments).where(and(eq(payments.memberId, me)));
        await db.select().from(payments).where(eq(payments.id, 1 + (page * 13) % SEED.payments)).limit(1);
      }
    } finally {
      await pool.end();
    }
  },
};

export const plainPg: Driver = {
  name: 'node-postgres (hand-written SQL)',
  recognizedAs: null,
  setup: createWithDdl,
  async run(url, _n, pages) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const list = (await c.query<{ id: number; author_id: number }>('SELECT id, title, author_id FROM posts ORDER BY id LIMIT $1 OFFSET $2', [PAGE, page * PAGE])).rows;
        for (const p of list) {
          await c.query('SELECT id, body, author_id FROM comments WHERE post_id = $1', [p.id]);
          await c.query('SELECT id, email FROM members WHERE id = $1', [p.author_id]);
        }
        await c.query('SELECT id, body, post_id FROM comments WHERE post_id = ANY($1)', [list.map((p) => p.id)]);
        await c.query('SELECT p.id, p.title, m.email FROM posts p JOIN members m ON m.id = p.author_id ORDER BY p.id LIMIT $1 OFFSET $2', [PAGE, page * PAGE]);
        await c.query('SELECT id, amount_cents FROM payments WHERE member_id = $1', [me]);
        await c.query('SELECT id, amount_cents, member_id FROM payments WHERE id = $1', [1 + (page * 13) % SEED.payments]);
      }
    } finally {
      await c.end();
    }
  },
};
