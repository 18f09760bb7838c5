import { LOCK_TIMEOUT } from './recipes.js';
import { commentLine } from '../sql/comment.js';

/** Wrap catalog-only DDL in one transaction with local timeouts: it either all lands or none of it. */
export function inTransaction(why: string | readonly string[], statements: readonly string[], statementTimeout = '30s'): string {
  return [...(typeof why === 'string' ? [why] : why).map(commentLine), 'BEGIN;', `SET LOCAL lock_timeout = '${LOCK_TIMEOUT}';`, `SET LOCAL statement_timeout = '${statementTimeout}';`, ...statements, 'COMMIT;', ''].join('\n');
}

/** A file that only documents that nothing needs undoing. */
export function nothingToUndo(why: string): string {
  return `${commentLine(why)}\nSELECT 1;\n`;
}
