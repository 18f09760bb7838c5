import type { CandidateIndex } from '../model/advisor.js';
import { quoteIdent } from './quote.js';

/**
 * A candidate index's keys as SQL: a column quoted, an expression in parentheses, DESC where it sorts descending.
 * One writer for what HypoPG costs and what the migration builds, so the two cannot drift apart.
 */
export function candidateKeySql(c: Pick<CandidateIndex, 'keys'>): string[] {
  return c.keys.map((k) => `${k.expression ? `(${k.column})` : quoteIdent(k.column)}${k.desc ? ' DESC' : ''}`);
}
