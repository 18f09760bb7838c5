import type { Index } from '../model/snapshot.js';
import { notNullColumns } from '../sql/predicate.js';

/**
 * True when `columns` (in any order) are exactly the leading key columns of a valid index that can serve equality
 * lookups: what a foreign key check or a per-parent lookup needs. A partial index counts when its predicate only
 * asks for those columns to be NOT NULL (`WHERE user_id IS NOT NULL`): an equality lookup matches no other row.
 */
export function leadsWith(index: Index, columns: readonly string[]): boolean {
  if (!index.valid) return false;
  if (index.predicate !== null) {
    const required = notNullColumns(index.predicate);
    if (!required || ![...required].every((c) => columns.includes(c))) return false;
  }
  if (index.method !== 'btree' && !(index.method === 'hash' && columns.length === 1)) return false;
  if (index.keyColumns.length < columns.length) return false;
  const leading = index.keyColumns.slice(0, columns.length);
  if (leading.some((c) => c === null)) return false;
  const wanted = new Set(columns);
  return leading.every((c) => wanted.has(c as string)) && new Set(leading).size === wanted.size;
}

export function hasIndexLeadingWith(indexes: readonly Index[], columns: readonly string[]): Index | undefined {
  return indexes.find((i) => leadsWith(i, columns));
}
