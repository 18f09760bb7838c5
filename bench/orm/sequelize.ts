import { DataTypes, Op, Sequelize } from 'sequelize';
import type { Driver, Names } from './scenario.js';
import { PAGE, SEED } from './scenario.js';

/** Sequelize 6 defaults: plural PascalCase tables ("Posts"), camelCase attributes, "PostId"-style keys, createdAt/updatedAt; values inlined as literals. */
function models(url: string) {
  const s = new Sequelize(url, { logging: false });
  const Member = s.define('Member', { email: { type: DataTypes.STRING, allowNull: false } });
  const Post = s.define('Post', { title: { type: DataTypes.STRING, allowNull: false } });
  const Comment = s.define('Comment', { body: { type: DataTypes.TEXT, allowNull: false } });
  const Payment = s.define('Payment', { amountCents: { type: DataTypes.INTEGER, allowNull: false } });
  Post.belongsTo(Member, { as: 'author' });
  Post.hasMany(Comment);
  Comment.belongsTo(Post);
  Comment.belongsTo(Member, { as: 'author' });
  Member.hasMany(Payment);
  Payment.belongsTo(Member);
  return { s, Member, Post, Comment, Payment };
}

export const sequelize: Driver = {
  name: 'Sequelize 6',
  recognizedAs: 'Sequelize',
  async setup(url): Promise<Names> {
    const { s } = models(url);
    await s.sync();
    await s.close();
    return { members: 'Members', posts: 'Posts', comments: 'Comments', payments: 'Payments', postAuthor: 'authorId', commentPost: 'PostId', commentAuthor: 'authorId', paymentMember: 'MemberId', timestamps: ['createdAt', 'updatedAt'], email: 'email', title: 'title', body: 'body', amount: 'amountCents' };
  },
  async run(url, _names, pages): Promise<void> {
    const { s, Member, Post, Comment, Payment } = models(url);
    try {
      for (let page = 0; page < pages; page++) {
        const me = 1 + (page * 7) % SEED.members;
        const posts = (await Post.findAll({ order: [['id', 'ASC']], limit: PAGE, offset: page * PAGE })) as unknown as { id: number; getComments(): Promise<unknown>; getAuthor(): Promise<unknown> }[];
        for (const p of posts) {
          await p.getComments(); // lazy has-many: one query per post
          await p.getAuthor(); // lazy belongs-to: one query per post
        }
        await Comment.findAll({ where: { PostId: { [Op.in]: posts.map((p) => p.id) } } }); // batched
        await Post.findAll({ include: [{ model: Member, as: 'author' }], limit: PAGE, offset: page * PAGE }); // eager
        await Payment.findAll({ where: { MemberId: me } }); // the member's own payments
        await Payment.findByPk(1 + (page * 13) % SEED.payments); // one payment by id alone
      }
    } finally {
      await s.close();
    }
  },
};
