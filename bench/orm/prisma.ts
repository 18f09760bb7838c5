import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Driver, Names } from './scenario.js';
import { execSql } from '../../test/harness/server.js';
import { PAGE, SEED } from './scenario.js';

const HERE = dirname(fileURLToPath(import.meta.url));

type Rows = Promise<{ id: number; authorId: number }[]>;
interface Model {
  findMany(args: object): Rows;
  findUnique(args: object): Promise<unknown>;
}
interface PrismaLike {
  post: Model;
  comment: Model;
  member: Model;
  payment: Model;
  $disconnect(): Promise<void>;
}

/**
 * Prisma 7 with @prisma/adapter-pg (no query engine binary): the client is generated from prisma/schema.prisma at
 * the start of the run. `prisma generate` does not need the schema engine, which the CLI would otherwise fetch from
 * binaries.prisma.sh: the environment says so. The tables are the ones `prisma migrate` writes for that schema:
 * PascalCase model names, camelCase columns.
 */
export function generatePrismaClient(): void {
  const bin = join(HERE, '..', '..', 'node_modules', '.bin', 'prisma');
  execFileSync(bin, ['generate', '--schema', join(HERE, 'prisma', 'schema.prisma')], {
    stdio: 'ignore',
    env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: '/bin/true', PRISMA_ENGINES_CHECKSUM_IGNORE_MISSING: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
  });
}

const DDL = `
  CREATE TABLE "Member" ("id" SERIAL NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "Member_pkey" PRIMARY KEY ("id"));
  CREATE TABLE "Post" ("id" SERIAL NOT NULL, "title" TEXT NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));
  CREATE TABLE "Comment" ("id" SERIAL NOT NULL, "body" TEXT NOT NULL, "postId" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, CONSTRAINT "Comment_pkey" PRIMARY KEY ("id"));
  CREATE TABLE "Payment" ("id" SERIAL NOT NULL, "amountCents" INTEGER NOT NULL, "memberId" INTEGER NOT NULL, CONSTRAINT "Payment_pkey" PRIMARY KEY ("id"));
  ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
  ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
  ALTER TABLE "Comment" ADD CONSTRAINT "Comment_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
  ALTER TABLE "Payment" ADD CONSTRAINT "Payment_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "Member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`;

export const prisma: Driver = {
  name: 'Prisma 7 (adapter-pg)',
  recognizedAs: 'Prisma',
  async setup(url): Promise<Names> {
    await execSql(url, DDL);
    return { members: 'Member', posts: 'Post', comments: 'Comment', payments: 'Payment', postAuthor: 'authorId', commentPost: 'postId', commentAuthor: 'authorId', paymentMember: 'memberId', timestamps: [], email: 'email', title: 'title', body: 'body', amount: 'amountCents' };
  },
  async run(url, _names, pages): Promise<void> {
    // Generated at run time (generatePrismaClient), so not there for the type-checker of a fresh clone.
    const generated = './prisma/generated/client.js';
    const { PrismaClient } = (await import(generated)) as { PrismaClient: new (o: { adapter: unknown }) => PrismaLike };
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const db = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 1 }) });
    try {
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const posts = await db.post.findMany({ orderBy: { id: 'asc' }, take: PAGE, skip: page * PAGE });
        for (const p of posts) {
          await db.comment.findMany({ where: { postId: p.id } }); // comments loaded per post
          await db.member.findUnique({ where: { id: p.authorId } }); // the author loaded per post
        }
        await db.comment.findMany({ where: { postId: { in: posts.map((p) => p.id) } } }); // batched
        await db.post.findMany({ include: { author: true }, orderBy: { id: 'asc' }, take: PAGE, skip: page * PAGE }); // eager
        await db.payment.findMany({ where: { memberId: me } }); // the member's own payments
        await db.payment.findUnique({ where: { id: 1 + (page * 13) % SEED.payments } }); // one payment by id alone
      }
    } finally {
      await db.$disconnect();
    }
  },
};
