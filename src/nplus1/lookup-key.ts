import type { Catalog } from '../derive/catalog.js';
import type { Table } from '../model/snapshot.js';
import type { Predicate, StatementShape } from '../sql/shape.js';
import { tableForKeyColumn } from '../scope/vocabulary.js';

/** What one execution of a per-row lookup fetches: rows of `table` whose `column` equals the bound key. */
export interface LookupKey {
  readonly table: Table;
  readonly column: string;
  /** Set when the key is bound through a join (TypeORM's `… JOIN "post" … WHERE "post"."id" = $1`): the table it names. */
  readonly through: Table | null;
  /** `children-of-row`: the rows that point at one parent row; `parent-of-row`: the one row a key points at. */
  readonly kind: 'children-of-row' | 'parent-of-row' | null;
}

/** A key bound to one value: `= $1`, or `IN ($1)` with one parameter as written (a lazy relation's shape). */
export function keyPredicates(shape: StatementShape, singleList: boolean): Predicate[] {
  return shape.predicates.filter((p) => ((p.op === '=' && p.operand === 'param') || (singleList && p.op === 'IN' && p.param !== undefined)) && !p.inOr && !p.expression && p.tableId !== null);
}

function singlePk(catalog: Catalog, t: Table): string | null {
  const pk = catalog.primaryKey(t.schema, t.name);
  return pk && pk.columns.length === 1 ? pk.columns[0]! : null;
}

function pointsAt(catalog: Catalog, from: Table, column: string, to: Table): boolean {
  const fk = catalog.foreignKeysOf(from.schema, from.name).find((c) => c.columns.length === 1 && c.columns[0] === column);
  const target = fk?.references ? catalog.table(fk.references.schema, fk.references.table) : tableForKeyColumn(catalog, from, column);
  return target === to;
}

/**
 * The table and key a per-row lookup reads, in one place for pg_stat_statements and log runs. A single table: its
 * bound key. Two tables joined on a key, the bound key being the other's primary key: an ORM that loads a relation
 * by joining its owner (`comment JOIN post ON post.id = comment."postId" WHERE post.id = $1` is the comments of one
 * post; `member JOIN post ON member.id = post."authorId" WHERE post.id = $1` is the author of one post). Null when
 * the statement is neither.
 */
export function lookupKey(catalog: Catalog, shape: StatementShape, tables: readonly (Table | undefined)[], singleList: boolean): LookupKey | null {
  const refs = tables.filter((t): t is Table => t !== undefined);
  const keyed = keyPredicates(shape, singleList);
  if (refs.length === 1) {
    const p = keyed.find((k) => tables[k.tableId!] === refs[0]);
    return p ? { table: refs[0]!, column: p.column, through: null, kind: null } : null;
  }
  if (refs.length !== 2 || refs[0] === refs[1]) return null;
  for (const p of keyed) {
    const bound = tables[p.tableId!];
    if (!bound || singlePk(catalog, bound) !== p.column) continue;
    const other = refs.find((t) => t !== bound)!;
    for (const j of shape.predicates) {
      if (j.op !== '=' || j.operand !== 'column' || !j.other || j.inOr || j.tableId === null || j.other.tableId === null) continue;
      const ends = [
        { table: tables[j.tableId], column: j.column },
        { table: tables[j.other.tableId], column: j.other.column },
      ];
      const onBound = ends.find((e) => e.table === bound);
      const onOther = ends.find((e) => e.table === other);
      if (!onBound || !onOther) continue;
      // comment."postId" = post.id, post.id bound: the comments of that post.
      if (onBound.column === p.column && pointsAt(catalog, other, onOther.column, bound)) return { table: other, column: onOther.column, through: bound, kind: 'children-of-row' };
      // member.id = post."authorId", post.id bound: the one member that post points at.
      if (onOther.column === singlePk(catalog, other) && pointsAt(catalog, bound, onBound.column, other)) return { table: other, column: onOther.column, through: bound, kind: 'parent-of-row' };
    }
  }
  return null;
}
