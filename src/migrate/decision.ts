import { commentLine } from '../sql/comment.js';

/** The marker of the guard statement: tests (and a user's tooling) find it to remove it once decided. */
export const DECISION_GUARD = 'pgrescue: decision required';

/**
 * A decision step's up file: a header stating the decision and its evidence, then a first statement that raises
 * an exception, then the proposed SQL. Run unedited, it stops before changing anything; the person who decides
 * edits the SQL and deletes the guard (the line that holds DECISION_GUARD).
 */
export function decisionTemplate(decision: string, evidence: readonly string[], body: string, guardInside = false): string {
  return [
    '-- DECISION REQUIRED before this file can run:',
    commentLine(`  ${decision}`),
    ...(evidence.length > 0 ? ['-- Evidence:', ...evidence.map((e) => commentLine(`  - ${e}`))] : []),
    guardInside
      ? '-- Edit the block below to match your decision, then delete its RAISE EXCEPTION line (it stops the file on purpose).'
      : '-- Edit the statements below to match your decision, then delete the next line (it stops the file on purpose).',
    // A constant message: no name from the database goes inside the dollar-quoted body.
    ...(guardInside ? [] : [`DO $$ BEGIN RAISE EXCEPTION '${DECISION_GUARD}: read this file''s header, decide, edit the SQL, then delete this line'; END $$;`]),
    body,
  ].join('\n');
}

/**
 * The guard as the first statement inside a PL/pgSQL block, for a template that must be one statement (a block
 * that commits batch by batch, which a migration tool sends as one query): the block stops before doing anything.
 */
export const GUARD_IN_BLOCK = `  RAISE EXCEPTION '${DECISION_GUARD}: read this file''s header, decide, edit the block, then delete this line';`;

/** Whether a file still holds its guard (as its own statement or inside a block). */
export function hasGuard(text: string): boolean {
  return text.split('\n').some(isGuardLine);
}

function isGuardLine(line: string): boolean {
  return line.includes(DECISION_GUARD) && (line.startsWith('DO $$ BEGIN RAISE EXCEPTION') || line.trimStart().startsWith('RAISE EXCEPTION'));
}

/** The file with its guard removed: what the user runs once decided (and what tests apply). */
export function withoutGuard(up: string): string {
  return up
    .split('\n')
    .filter((line) => !isGuardLine(line))
    .join('\n');
}
