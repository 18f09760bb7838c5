/**
 * The words of an identifier, whatever its naming style: snake_case, camelCase, PascalCase, kebab, SCREAMING, as
 * ORMs write them (Prisma's "User" and "userId", Sequelize's "Members" and "MemberId", TypeORM's "authorId").
 * Rules that know names by meaning (an owner column, a member table, a secret) match these words, so every style
 * reads the same: "userId", "UserId", "user_id" and "USER_ID" are all "user_id".
 */
export function snakeName(name: string): string {
  let words = SEEN.get(name);
  if (words === undefined) {
    // Names repeat across rules and patterns (every rule asks about the same columns): computed once each.
    words = name
      .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
      .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
      .replace(/[\s-]+/g, '_')
      .toLowerCase();
    if (SEEN.size >= 100_000) SEEN.clear();
    SEEN.set(name, words);
  }
  return words;
}

const SEEN = new Map<string, string>();

/** A pattern over an identifier's words (see snakeName): `.test("authorId")` tests "author_id". */
export interface NamePattern {
  test(name: string): boolean;
  readonly source: string;
}

export function namePattern(pattern: RegExp): NamePattern {
  return { test: (name) => pattern.test(snakeName(name)), source: pattern.source };
}
