import { objectName } from '../sql/quote.js';
import { candidateKeySql } from '../sql/candidate-keys.js';
import type { IndexSpec } from './recipes.js';
import type { CandidateIndex } from '../model/advisor.js';

/** "post_id", "lower(email)", "created_at DESC" — for ids and messages. */
export function keyLabel(c: CandidateIndex): string {
  return c.keys.map((k) => `${k.column}${k.desc ? ' DESC' : ''}`).join(', ');
}

/** The migration's index spec for a candidate: a readable, collision-free name and quoted keys. */
export function candidateSpec(c: CandidateIndex): IndexSpec {
  const nameParts = c.keys.map((k) => k.column.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, ''));
  const name = objectName([c.table, ...nameParts, ...(c.where ? ['partial'] : [])], 'idx');
  return {
    schema: c.schema,
    table: c.table,
    name,
    keys: candidateKeySql(c),
    where: c.where,
  };
}
