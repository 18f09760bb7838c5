import type { CandidateIndex } from '../model/advisor.js';

/** `a`'s keys lead `b`'s, on the same table with the same predicate: `b` serves whatever `a` would. */
export function isPrefix(a: CandidateIndex, b: CandidateIndex): boolean {
  return a !== b && a.schema === b.schema && a.table === b.table && a.where === b.where && a.keys.length <= b.keys.length && a.keys.every((k, i) => k.column === b.keys[i]?.column && k.desc === b.keys[i]?.desc);
}
