import { commentLine } from '../sql/comment.js';

/** The marker of the guard statement: tests (and a user's tooling) find it to remove it once decided. */
export const DECISION_GUARD = 'pgrescue: decision required';

/**
 * A decision step's up file: a header stating the decision and its evidence, then a first statement that raises
 * an exception, then the proposed SQL. Run unedited, it stops before changing anything; the person who decides
 * edits the SQL and deletes the guard (the line that holds DECISION_GUARD).
 */
export function decisionTemplate(decision: string, evidence: readonly string[], body: string): string {
  return [
    '-- DECISION REQUIRED before this file can run:',
    commentLine(`  ${decision}`),
    ...(evidence.length > 0 ? ['-- Evidence:', ...evidence.map((e) => commentLine(`  - ${e}`))] : []),
    '-- Edit the statements below to match your decision, then delete the next line (it stops the file on purpose).',
    // A constant message: no name from the database goes inside the dollar-quoted body.
    `DO $$ BEGIN RAISE EXCEPTION '${DECISION_GUARD}: read this file''s header, decide, edit the SQL, then delete this line'; END $$;`,
    body,
  ].join('\n');
}

/** The file with its guard removed: what the user runs once decided (and what tests apply). */
export function withoutGuard(up: string): string {
  return up
    .split('\n')
    .filter((line) => !(line.startsWith('DO $$ BEGIN RAISE EXCEPTION') && line.includes(DECISION_GUARD)))
    .join('\n');
}
