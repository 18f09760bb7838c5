import 'reflect-metadata';
import { DataSource, EntitySchema, In } from 'typeorm';
import type { Driver, Names } from './scenario.js';
import { PAGE, SEED } from './scenario.js';

/** TypeORM defaults: singular lowercase tables named after the entity, camelCase columns, "authorId"-style join columns, bind parameters. */
interface Row { id: number; [k: string]: unknown }
const Member = new EntitySchema<Row>({ name: 'member', columns: { id: { type: Number, primary: true, generated: true }, email: { type: String } } });
const Post = new EntitySchema<Row>({
  name: 'post',
  columns: { id: { type: Number, primary: true, generated: true }, title: { type: String } },
  relations: { author: { type: 'many-to-one', target: 'member', nullable: false, lazy: true }, comments: { type: 'one-to-many', target: 'comment', inverseSide: 'post' } },
});
const Comment = new EntitySchema<Row>({
  name: 'comment',
  columns: { id: { type: Number, primary: true, generated: true }, body: { type: String } },
  relations: { post: { type: 'many-to-one', target: 'post', nullable: false }, author: { type: 'many-to-one', target: 'member', nullable: false } },
});
const Payment = new EntitySchema<Row>({
  name: 'payment',
  columns: { id: { type: Number, primary: true, generated: true }, amountCents: { type: Number } },
  relations: { member: { type: 'many-to-one', target: 'member', nullable: false } },
});

function source(url: string, synchronize: boolean): DataSource {
  return new DataSource({ type: 'postgres', url, entities: [Member, Post, Comment, Payment], synchronize, logging: false });
}

export const typeorm: Driver = {
  name: 'TypeORM 1',
  recognizedAs: 'TypeORM',
  async setup(url): Promise<Names> {
    const ds = await source(url, true).initialize();
    await ds.destroy();
    return { members: 'member', posts: 'post', comments: 'comment', payments: 'payment', postAuthor: 'authorId', commentPost: 'postId', commentAuthor: 'authorId', paymentMember: 'memberId', timestamps: [], email: 'email', title: 'title', body: 'body', amount: 'amountCents' };
  },
  async run(url, _names, pages): Promise<void> {
    const ds = await source(url, false).initialize();
    try {
      const posts = ds.getRepository(Post);
      const comments = ds.getRepository(Comment);
      const payments = ds.getRepository(Payment);
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const list = await posts.find({ order: { id: 'ASC' }, take: PAGE, skip: page * PAGE });
        for (const p of list) {
          await comments.find({ where: { post: { id: p.id } } }); // a has-many loaded per post
          await (p.author as Promise<unknown>); // a lazy relation: one query per post, joined through post
        }
        await comments.find({ where: { post: { id: In(list.map((p) => p.id)) } } }); // batched
        await posts.createQueryBuilder('post').innerJoinAndSelect('post.author', 'author').orderBy('post.id').take(PAGE).skip(page * PAGE).getMany(); // eager join
        await payments.find({ where: { member: { id: me } } }); // the member's own payments
        await payments.findOneBy({ id: 1 + (page * 13) % SEED.payments }); // one payment by id alone
      }
    } finally {
      await ds.destroy();
    }
  },
};
