import type { Index } from '../model/snapshot.js';

/**
 * One key of an index as a comparable string: the column or expression, with its opclass, collation and
 * ordering options. Two indexes with equal key lists serve the same lookups.
 */
export function indexKeys(index: Index): string[] {
  let expression = 0;
  return index.keyColumns.map((column, i) => {
    const target = column ?? `(${index.expressions[expression++] ?? '?'})`;
    return `${target}|${index.opclasses[i] ?? ''}|${index.collations[i] ?? ''}|${index.options[i] ?? 0}`;
  });
}

/** Readable key list for messages: "member_id, lower(email)". */
export function indexKeyLabel(index: Index): string {
  let expression = 0;
  return index.keyColumns.map((c) => c ?? index.expressions[expression++] ?? '?').join(', ');
}

/** Indexes that must never be dropped by a hygiene rule: they enforce something. */
export function enforcesConstraint(index: Index): boolean {
  return index.primary || index.unique || index.constraint !== null;
}
