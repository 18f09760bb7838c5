import { scanSync } from 'libpg-query';

/** What a statement does, as far as a migration tool's runner cares. */
export type StatementKind = 'begin' | 'commit' | 'set' | 'other';

/** One statement of a SQL text: the comments and blank lines before it, and the statement with its semicolon. */
export interface SqlStatement {
  readonly lead: string;
  readonly text: string;
  readonly kind: StatementKind;
}

/** A SQL text cut into statements by the server's own scanner: dollar quotes, strings and comments stay whole. */
export interface SplitSql {
  readonly statements: readonly SqlStatement[];
  /** Comments after the last statement. */
  readonly tail: string;
}

function kindOf(words: readonly string[]): StatementKind {
  const [first, second] = words;
  if ((first === 'BEGIN' || first === 'START') && (second === undefined || second === 'TRANSACTION' || second === 'WORK' || second === 'ISOLATION')) return 'begin';
  if ((first === 'COMMIT' || first === 'END') && words.length <= 2) return 'commit';
  if (first === 'SET' || first === 'RESET') return 'set';
  return 'other';
}

const COMMENT = new Set(['SQL_COMMENT', 'C_COMMENT']);

export function splitStatements(sql: string): SplitSql {
  // Token offsets are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(sql, 'utf8');
  const slice = (from: number, to: number): string => bytes.subarray(from, to).toString('utf8');
  const statements: SqlStatement[] = [];
  let cursor = 0;
  let start = -1;
  let words: string[] = [];
  // A SQL-standard function body (CREATE FUNCTION … BEGIN ATOMIC …; …; END) holds semicolons of its own: as psql
  // does, inside a CREATE FUNCTION or PROCEDURE each BEGIN (and CASE within one) opens a level and END closes it.
  let routine = false;
  let depth = 0;
  let head: string[] = [];
  for (const token of scanSync(sql).tokens) {
    if (COMMENT.has(token.tokenName)) continue;
    if (start < 0) start = token.start;
    const word = token.text.toUpperCase();
    if (head.length < 5) {
      head.push(word);
      routine = head[0] === 'CREATE' && head.some((w) => w === 'FUNCTION' || w === 'PROCEDURE');
    }
    if (routine && token.text !== ';') {
      if (word === 'BEGIN' || (word === 'CASE' && depth > 0)) depth++;
      else if (word === 'END' && depth > 0) depth--;
    }
    if (token.text === ';' && depth > 0) continue;
    if (token.text === ';') {
      routine = false;
      head = [];
      statements.push({ lead: slice(cursor, start), text: slice(start, token.end), kind: kindOf(words) });
      cursor = token.end;
      start = -1;
      words = [];
      continue;
    }
    if (words.length < 3) words.push(token.text.toUpperCase());
  }
  if (start >= 0) {
    statements.push({ lead: slice(cursor, start), text: slice(start, bytes.length).trimEnd(), kind: kindOf(words) });
    cursor = bytes.length;
  }
  return { statements, tail: slice(cursor, bytes.length) };
}
