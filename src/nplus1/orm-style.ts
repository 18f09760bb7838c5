/** The query libraries pgrescue can tell apart by the SQL they write. */
export type OrmStyle = 'prisma' | 'sequelize' | 'typeorm' | 'drizzle' | 'knex-kysely' | 'activerecord';

export const ORM_NAMES: Readonly<Record<OrmStyle, string>> = {
  prisma: 'Prisma',
  sequelize: 'Sequelize',
  typeorm: 'TypeORM',
  drizzle: 'Drizzle',
  'knex-kysely': 'Knex or Kysely',
  activerecord: 'ActiveRecord',
};

/**
 * Which library wrote a statement, from the shape of its text (each writes SQL its own way), or null for SQL that
 * could be anyone's (hand-written). Pure; the text is pg_stat_statements' or a log's, comments and all.
 * - Prisma: schema-qualified quoted names, `"public"."Comment"` (and `AS "t1"` aliases in 6+);
 * - Sequelize: `FROM "Comments" AS "Comment"`, a quoted table with a quoted AS alias;
 * - TypeORM: `"comment"."id" AS "comment_id"` column aliases, or `"comment__comment_post"` join aliases;
 * - ActiveRecord: `SELECT "comments".* FROM "comments"`;
 * - Drizzle: lower-case keywords with table-qualified quoted columns (`select "id" … where "comments"."post_id"`);
 * - Knex and Kysely: lower-case keywords, unqualified quoted names (`select * from "comments" where "post_id"`).
 */
export function ormStyle(query: string): OrmStyle | null {
  const text = query.replace(/^\s*(\/\*[\s\S]*?\*\/\s*)+/, '');
  if (/"public"\."[^"]+"/.test(text) && /^\s*(SELECT|UPDATE|DELETE|INSERT|WITH)\b/.test(text)) return 'prisma';
  if (/\bFROM "[^"]+" AS "[^"]+"/.test(text)) return 'sequelize';
  if (/"(\w+)"\."(\w+)" AS "\1_\2"/.test(text) || /"\w+__\w+"/.test(text)) return 'typeorm';
  if (/^\s*SELECT "(\w+)"\.\* FROM "\1"/.test(text)) return 'activerecord';
  if (/^\s*(select|update|delete from|insert into) /.test(text)) {
    if (/\bwhere "[^"]+"\."[^"]+"/.test(text)) return 'drizzle';
    if (/\b(from|update|into) "[^"]+"/.test(text)) return 'knex-kysely';
  }
  return null;
}
