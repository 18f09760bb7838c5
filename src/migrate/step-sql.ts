import type { Migration } from '../model/finding.js';
import { splitStatements } from '../sql/split.js';
import type { SqlStatement } from '../sql/split.js';

/**
 * A step's SQL reshaped for a migration tool's runner. pgrescue's own files carry their transaction (BEGIN …
 * COMMIT) and session settings; a tool that opens its own transaction, or that runs a file as one query, needs
 * them taken out. The text is cut by the server's scanner, never by a pattern.
 */

export type Direction = 'up' | 'down';

/** The step's SQL for one direction. */
export function sqlOf(m: Migration, direction: Direction): string {
  return direction === 'up' ? m.up : m.down;
}

function joined(statements: readonly SqlStatement[], tail: string): string {
  return `${statements.map((s) => `${s.lead}${s.text}`).join('')}${tail}`;
}

/** The file without BEGIN and COMMIT (their comments stay): for a tool that runs each migration in its own transaction. */
export function withoutTransactionControl(sql: string): string {
  const { statements, tail } = splitStatements(sql);
  const kept = statements.map((s) => (s.kind === 'begin' || s.kind === 'commit' ? { ...s, text: '' } : s));
  return joined(kept, tail).replace(/\n{3,}/g, '\n\n');
}

/** Each statement on its own (with the comments before it), BEGIN and COMMIT left out: for runners that take one statement per call. */
export function separateStatements(sql: string): string[] {
  const { statements } = splitStatements(sql);
  return statements.filter((s) => s.kind !== 'begin' && s.kind !== 'commit').map((s) => `${s.lead.replace(/^\n+/, '')}${s.text}`);
}

/**
 * The one statement of a no-transaction step (CREATE/DROP INDEX CONCURRENTLY), with its comments, for a tool that
 * sends a file as one query: a query of several statements is an implicit transaction, where CONCURRENTLY fails.
 * Session settings are dropped; the caller says so in the file.
 */
export function soleStatement(sql: string): string {
  const { statements, tail } = splitStatements(sql);
  const work = statements.filter((s) => s.kind === 'other');
  if (work.length !== 1) throw new Error(`a no-transaction step must hold one statement, not ${work.length}`);
  const comments = statements.map((s) => s.lead).join('').replace(/\n{2,}/g, '\n').replace(/^\n+/, '');
  return `${comments}${work[0]!.text}\n${tail.replace(/^\n+/, '')}`;
}
