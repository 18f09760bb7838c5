/**
 * The ORM benchmark's shared scenario (bench/orm-suite.ts). Every library drives the same community through its own
 * API in its default naming: member feeds with lazy loads (a loop per post: its comments, its author), the batched
 * and eager loads that replace them, a member's own payments (scoped) and one payment fetched by id alone (the IDOR
 * shape). The loops and the by-id read are what pgrescue must find; the rest must stay silent.
 */
import pg from 'pg';
import { qualified, quoteIdent } from '../../src/sql/quote.js';

/** The names a library gave the community's tables and foreign-key columns. */
export interface Names {
  readonly members: string;
  readonly posts: string;
  readonly comments: string;
  readonly payments: string;
  /** posts → members, comments → posts, comments → members, payments → members */
  readonly postAuthor: string;
  readonly commentPost: string;
  readonly commentAuthor: string;
  readonly paymentMember: string;
  /** Extra NOT NULL columns the library added (createdAt/updatedAt): filled with now(). */
  readonly timestamps: readonly string[];
  /** Column names for the seeded values. */
  readonly email: string;
  readonly title: string;
  readonly body: string;
  readonly amount: string;
}

export interface Driver {
  readonly name: string;
  /** The library pgrescue should recognize from the SQL (its name in the N+1 remediation), null for hand-written SQL. */
  readonly recognizedAs: string | null;
  /** Create the schema the library's own way (sync, synchronize, schema builder, or its documented DDL). */
  setup(url: string): Promise<Names>;
  /** One member session: `pages` feed pages of 20 posts. */
  run(url: string, names: Names, pages: number): Promise<void>;
  close?(): Promise<void>;
}

export const PAGE = 20;
export const SEED = { members: 200, posts: 400, comments: 1200, payments: 600 };

/** Fill the library's tables with the same rows, whatever it named them. */
export async function seed(url: string, n: Names): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const q = (name: string): string => quoteIdent(name);
  const ts = (cols: readonly string[]): { names: string; values: string } => ({ names: cols.map((x) => `, ${q(x)}`).join(''), values: cols.map(() => ', now()').join('') });
  const t = ts(n.timestamps);
  try {
    await c.query(`INSERT INTO ${qualified('public', n.members)} (${q('id')}, ${q(n.email)}${t.names}) SELECT g, 'm' || g || '@example.com'${t.values} FROM generate_series(1, ${SEED.members}) g`);
    await c.query(`INSERT INTO ${qualified('public', n.posts)} (${q('id')}, ${q(n.title)}, ${q(n.postAuthor)}${t.names}) SELECT g, 'post ' || g, 1 + g % ${SEED.members}${t.values} FROM generate_series(1, ${SEED.posts}) g`);
    await c.query(`INSERT INTO ${qualified('public', n.comments)} (${q('id')}, ${q(n.body)}, ${q(n.commentPost)}, ${q(n.commentAuthor)}${t.names}) SELECT g, 'comment ' || g, 1 + g % ${SEED.posts}, 1 + g % ${SEED.members}${t.values} FROM generate_series(1, ${SEED.comments}) g`);
    await c.query(`INSERT INTO ${qualified('public', n.payments)} (${q('id')}, ${q(n.amount)}, ${q(n.paymentMember)}${t.names}) SELECT g, 500 + g, 1 + g % ${SEED.members}${t.values} FROM generate_series(1, ${SEED.payments}) g`);
    for (const table of [n.members, n.posts, n.comments, n.payments]) {
      // Sequences of serial/identity ids move past the seeded rows, as after real inserts.
      await c.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), (SELECT max(id) FROM ${qualified('public', table)})) WHERE pg_get_serial_sequence($1, 'id') IS NOT NULL`, [qualified('public', table)]);
    }
    await c.query('ANALYZE');
  } finally {
    await c.end();
  }
}
