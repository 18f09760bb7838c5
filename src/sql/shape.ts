/** What pgrescue understands of one statement, from its parse tree. Plain data, no AST. */
export type StatementKind = 'select' | 'insert' | 'update' | 'delete' | 'merge' | 'utility';

export interface TableRef {
  readonly id: number;
  readonly schema: string | null;
  readonly name: string;
  readonly alias: string | null;
  /** The table an INSERT / UPDATE / DELETE / MERGE writes to. */
  readonly target: boolean;
}

export type OperandKind = 'param' | 'const' | 'column' | 'subquery' | 'null' | 'list' | 'expr';

export interface ColumnAt {
  /** Index into `tables`; null when an unqualified column could not be pinned to one table. */
  readonly tableId: number | null;
  readonly column: string;
}

export interface Predicate extends ColumnAt {
  /** The function wrapping the column, e.g. "lower(email)", else null. */
  readonly expression: string | null;
  /** "=", "<", ">", "<=", ">=", "<>", "ANY", "IN", "IS NULL", "IS NOT NULL", "LIKE", "ILIKE", "BETWEEN", or the operator. */
  readonly op: string;
  readonly operand: OperandKind;
  /** The parameter number when the other side is one bare parameter ($2, or $2 under a cast or one function). */
  readonly param?: number;
  /** For column-to-column comparisons (joins): the other side. */
  readonly other: ColumnAt | null;
  /** Under an OR or NOT: not a plain conjunct, so not usable alone by an index. */
  readonly inOr: boolean;
  readonly source: 'where' | 'join' | 'having';
  /** Table ids in scope where the column was written, for late resolution. */
  readonly candidates: readonly number[];
}

export interface OrderKey extends ColumnAt {
  readonly desc: boolean;
}

export interface StatementShape {
  readonly kind: StatementKind;
  readonly tables: readonly TableRef[];
  readonly predicates: readonly Predicate[];
  /** Top-level ORDER BY keys that are plain columns. */
  readonly orderBy: readonly OrderKey[];
  readonly limit: boolean;
  /** Top-level aggregate or GROUP BY: returns one row per group, not per table row. */
  readonly aggregate: boolean;
  readonly groupBy: boolean;
  readonly ctes: readonly string[];
  /** An INSERT whose rows come from a query (INSERT … SELECT / TABLE), not a VALUES list. */
  readonly insertFromQuery?: boolean;
}

export type ParsedStatement =
  | {
      readonly ok: true;
      readonly shape: StatementShape;
      /** libpg-query's fingerprint: groups statements that differ only in values (N+1 runs). */
      readonly fingerprint: string;
      /** pgrescue's own, stable across servers and versions: the suffix of finding ids (src/sql/fingerprint.ts). */
      readonly identity: string;
    }
  | { readonly ok: false; readonly reason: 'parse-error' | 'empty' | 'multiple'; readonly message: string };

/** Look a column up in the catalog to pin unqualified columns; returns true when the table has it. */
export type ColumnResolver = (schema: string | null, table: string, column: string) => boolean;
