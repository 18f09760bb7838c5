import type { Index } from '../model/snapshot.js';

/**
 * True when `columns` (in any order) are exactly the leading key columns of a valid, non-partial index
 * that can serve equality lookups: what a foreign key check or a per-parent lookup needs.
 */
export function leadsWith(index: Index, columns: readonly string[]): boolean {
  if (!index.valid || index.predicate !== null) return false;
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
