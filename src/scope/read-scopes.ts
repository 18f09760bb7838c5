import type { Table } from '../model/snapshot.js';
import type { ScanState } from '../derive/scan-state.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { TableOwnership } from './ownership.js';
import { preAuthLookup } from './pre-auth.js';
import { tableKey } from '../derive/catalog.js';

/**
 * How one captured statement limits the rows of a table to the member who asks, read from its predicates and joins:
 * - `owner`: the table's own column compared with a bound value (`memberships.member_id = $1`);
 * - `through`: joined to a table the member owns (`communities JOIN memberships … WHERE memberships.member_id = $1`):
 *   the member sees the rows their membership rows point at;
 * - `tenant`: the table's tenant column compared with a bound value (`organization_id = $1`): the member sees the
 *   rows of the tenants they belong to;
 * - `pre-auth`: a lookup before sign-in (login by email, a token), which no member policy can serve;
 * - `by-key`: one row by its key and nothing else (`payments WHERE id = $1`): the IDOR shape; a member asking for
 *   their own row keeps it under an owner policy, and only other members' rows disappear, which is the point;
 * - `unscoped`: rows of many members (a listing, a public page, a background job, an admin screen): an owner
 *   policy would hand it only the signed-in member's rows.
 */
export type ReadScope =
  | { readonly kind: 'owner'; readonly column: string; readonly param?: number }
  | { readonly kind: 'through'; readonly column: string; readonly via: Table; readonly viaColumn: string; readonly memberColumn: string; readonly param?: number }
  | { readonly kind: 'tenant'; readonly column: string }
  | { readonly kind: 'pre-auth'; readonly column: string }
  | { readonly kind: 'by-key'; readonly column: string }
  | { readonly kind: 'unscoped' };

export interface ScopedRead {
  readonly statement: WorkloadStatement;
  readonly scope: ReadScope;
}

const BOUND = new Set(['param', 'const']);

/** Columns that tie a row of this table to its member directly (not who wrote it: authors' rows are read by others). */
function memberColumns(own: TableOwnership | undefined): Set<string> {
  return new Set((own?.ownerColumns ?? []).filter((c) => c.kind === 'owner' || c.kind === 'identity').map((c) => c.column));
}

/** Every captured SELECT that reads `table`, with how it scopes the table's rows. */
export function readScopes(scan: ScanState, table: Table, ownership: ReadonlyMap<string, TableOwnership>): ScopedRead[] {
  const reads: ScopedRead[] = [];
  for (const s of scan.workload.onTable(table.schema, table.name)) {
    const ref = s.tables.indexOf(table);
    const scope = ref < 0 ? null : scopeOf(scan, s, ref, ownership);
    if (scope) reads.push({ statement: s, scope });
  }
  return reads;
}

/** Who issues a captured SELECT: the member its parameter names, or, for a lookup by key, the owner of that row. */
export type Issuer = { readonly param: number } | { readonly table: Table; readonly column: string };

/**
 * The member a captured SELECT is issued by, for replaying it signed in as them: the parameter that carries the
 * member's id (`member_id = $1`, or the membership's `member_id = $1` a table is reached through), or for a lookup
 * by key (`payments WHERE id = $1`) the owner column of the row found, since the member who asks for their own
 * receipt is its owner.
 */
export function issuerOf(scan: ScanState, s: WorkloadStatement, ownership: ReadonlyMap<string, TableOwnership>): Issuer | undefined {
  let byKey: Issuer | undefined;
  for (let ref = 0; ref < s.tables.length; ref++) {
    const table = s.tables[ref];
    const scope = table ? scopeOf(scan, s, ref, ownership) : null;
    if (!table || !scope) continue;
    if ((scope.kind === 'owner' || scope.kind === 'through') && scope.param !== undefined) return { param: scope.param };
    const owner = [...memberColumns(ownership.get(tableKey(table.schema, table.name)))][0];
    if (scope.kind === 'by-key' && owner && !byKey) byKey = { table, column: owner };
  }
  return byKey;
}

/** How one SELECT scopes the rows of its table reference `ref`; null for other statements. */
function scopeOf(scan: ScanState, s: WorkloadStatement, ref: number, ownership: ReadonlyMap<string, TableOwnership>): ReadScope | null {
  const table = s.tables[ref];
  if (!table || !s.parsed.ok || s.parsed.shape.kind !== 'select') return null;
  const shape = s.parsed.shape;
  const preAuth = preAuthLookup(shape, ref, table, scan.catalog);
  if (preAuth) return { kind: 'pre-auth', column: preAuth.column };
  const own = memberColumns(ownership.get(tableKey(table.schema, table.name)));
  const plain = shape.predicates.filter((p) => !p.inOr);
  const direct = plain.find((p) => p.tableId === ref && p.op === '=' && BOUND.has(p.operand) && p.expression === null && own.has(p.column));
  if (direct) return { kind: 'owner', column: direct.column, ...(direct.param !== undefined ? { param: direct.param } : {}) };
  for (const join of plain) {
    if (join.tableId !== ref || join.operand !== 'column' || join.op !== '=' || !join.other || join.other.tableId === null || join.other.tableId === ref) continue;
    const viaRef = join.other.tableId;
    const via = s.tables[viaRef];
    if (!via) continue;
    const viaOwn = memberColumns(ownership.get(tableKey(via.schema, via.name)));
    const member = plain.find((p) => p.tableId === viaRef && p.op === '=' && BOUND.has(p.operand) && p.expression === null && viaOwn.has(p.column));
    if (member) return { kind: 'through', column: join.column, via, viaColumn: join.other.column, memberColumn: member.column, ...(member.param !== undefined ? { param: member.param } : {}) };
  }
  const tenants = new Set((ownership.get(tableKey(table.schema, table.name))?.ownerColumns ?? []).filter((c) => c.kind === 'tenant').map((c) => c.column));
  const tenant = plain.find((p) => p.tableId === ref && p.op === '=' && BOUND.has(p.operand) && p.expression === null && tenants.has(p.column));
  if (tenant) return { kind: 'tenant', column: tenant.column };
  const key = plain.find((p) => p.tableId === ref && p.op === '=' && BOUND.has(p.operand) && p.expression === null && uniqueColumn(scan, table, p.column));
  return key ? { kind: 'by-key', column: key.column } : { kind: 'unscoped' };
}

/** A column that alone identifies a row: the primary key or a single-column unique index. */
function uniqueColumn(scan: ScanState, table: Table, column: string): boolean {
  const pk = scan.catalog.primaryKey(table.schema, table.name);
  if (pk && pk.columns.length === 1 && pk.columns[0] === column) return true;
  return scan.catalog.indexesOf(table.schema, table.name).some((ix) => ix.unique && ix.valid && ix.predicate === null && ix.keyColumns.length === 1 && ix.keyColumns[0] === column);
}
