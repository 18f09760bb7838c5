import type { Snapshot, Table } from '../model/snapshot.js';
import { tableKey } from '../derive/catalog.js';
import type { Config } from '../model/config.js';
import { mentionsWord, AUTHOR_COLUMN, OWNER_COLUMN, PAYMENT_TABLE, PERSONAL_COLUMN, SECRET_COLUMN, signInTables, tableForKeyColumn, TENANT_COLUMN } from './vocabulary.js';
import type { ScanState } from '../derive/scan-state.js';
import { snakeName } from '../sql/identifier.js';
import { compareText } from '../model/order.js';


/** owner: the member's own rows; author: who wrote it (others read it); identity: the member row itself; tenant: an organization's rows, reached through a membership table. */
export type OwnerKind = 'owner' | 'author' | 'identity' | 'tenant';

/** One foreign-key step of an ownership path: from.column → to.toColumn. */
export interface Hop {
  readonly from: string;
  readonly column: string;
  readonly to: string;
  readonly toColumn: string;
}

export interface OwnerPath {
  /** The column on this table where the path starts. */
  readonly column: string;
  readonly hops: readonly Hop[];
  /** Tables crossed, e.g. ["public.posts"] for comments → posts.author_id. */
  readonly through: readonly string[];
  /** The owner column at the end of the path. */
  readonly ownerColumn: string;
  readonly kind: OwnerKind;
}

export interface TableOwnership {
  readonly schema: string;
  readonly table: string;
  /** Columns on the table itself that tie a row to a member or tenant. */
  readonly ownerColumns: readonly { readonly column: string; readonly kind: OwnerKind; readonly source: string }[];
  /** Scope reached through foreign keys (up to 3 hops) when the table has no owner column of its own. */
  readonly paths: readonly OwnerPath[];
  readonly public: boolean;
  /** Holds personal or payment data: email, phone, address, amounts, card or payment ids, secrets. */
  readonly sensitive: boolean;
}


/**
 * Infer, per table, the columns that tie a row to a member or tenant: foreign keys to the identity table,
 * owner-like column names, columns the table's RLS policies test; then follow foreign keys up to 3 hops for
 * tables without one (comments → posts). The config file overrides: `owners`, `publicTables`.
 */
const NO_OVERRIDES = {};
const KIND_ORDER: Record<OwnerKind, number> = { owner: 0, identity: 0, author: 1, tenant: 2 };

/**
 * The table that says which tenant a member belongs to: another table with the same tenant column and a column
 * owned by the member (memberships(organization_id, user_id)), and the soft-end column that marks a membership
 * no longer live (revoked_at, deleted_at), if any.
 */
export interface TenantMembership {
  readonly table: Table;
  readonly memberColumn: string;
  readonly ended: string | null;
}

export function tenantMembership(scan: ScanState, ownership: ReadonlyMap<string, TableOwnership>, table: Table, tenantColumn: string): TenantMembership | null {
  return membershipsByTenantColumn(scan, ownership).get(tenantColumn)?.find((m) => m.table !== table) ?? null;
}

/** Per tenant column, the tables that could say who belongs to a tenant, best first: ranked once per scan. */
const RANKED = new WeakMap<ReadonlyMap<string, TableOwnership>, Map<string, TenantMembership[]>>();

function membershipsByTenantColumn(scan: ScanState, ownership: ReadonlyMap<string, TableOwnership>): Map<string, TenantMembership[]> {
  let ranked = RANKED.get(ownership);
  if (ranked) return ranked;
  const scored = new Map<string, (TenantMembership & { score: number })[]>();
  for (const t of scan.snapshot.tables) {
    const own = ownership.get(tableKey(t.schema, t.name))?.ownerColumns ?? [];
    const member = own.find((c) => c.kind === 'owner');
    if (!member) continue;
    const ended = t.columns.find((c) => /^(revoked|deleted|removed|ended|archived)_at$/.test(snakeName(c.name)))?.name ?? null;
    const score = (/member|role|seat|user_org|org_user|team_user/.test(snakeName(t.name)) ? 2 : 0) + (t.columns.length <= 10 ? 1 : 0);
    for (const c of own.filter((x) => x.kind === 'tenant')) scored.set(c.column, [...(scored.get(c.column) ?? []), { table: t, memberColumn: member.column, ended, score }]);
  }
  ranked = new Map([...scored].map(([column, list]) => [column, list.sort((a, b) => b.score - a.score || compareText(a.table.name, b.table.name))]));
  RANKED.set(ownership, ranked);
  return ranked;
}

export function inferOwnership(scan: ScanState, config: Partial<Pick<Config, 'owners' | 'publicTables'>> = NO_OVERRIDES): Map<string, TableOwnership> {
  // The engine infers it once per scan and hands it to the rules and the report (AnalyzerContext.ownership).
  return infer(scan, config);
}

function infer(scan: ScanState, config: Partial<Pick<Config, 'owners' | 'publicTables'>>): Map<string, TableOwnership> {
  const { snapshot, catalog } = scan;
  const direct = new Map<string, { column: string; kind: OwnerKind; source: string }[]>();
  const overrides = config.owners ?? {};
  const publicTables = new Set(config.publicTables ?? []);
  const signIn = signInTables(catalog);
  for (const t of snapshot.tables) {
    const key = tableKey(t.schema, t.name);
    const list: { column: string; kind: OwnerKind; source: string }[] = [];
    const override = overrides[key] ?? overrides[t.name];
    if (override) {
      for (const column of override) list.push({ column, kind: 'owner', source: 'config' });
      direct.set(key, list);
      continue;
    }
    for (const fk of catalog.foreignKeysOf(t.schema, t.name)) {
      const target = fk.references ? catalog.table(fk.references.schema, fk.references.table) : undefined;
      // A member row pointing at another member (users.inviter_id, referred_by, manager_id) is a relation, not its owner.
      if (target === t) continue;
      if (fk.columns.length === 1 && target && signIn.has(target)) {
        const column = fk.columns[0]!;
        list.push({ column, kind: AUTHOR_COLUMN.test(column) ? 'author' : 'owner', source: `foreign key to ${target.schema}.${target.name}` });
      }
    }
    // A profiles-like table that points at the identity table is owned through that key; else its id is the member.
    if (signIn.has(t) && t.columns.some((c) => c.name === 'id') && !list.some((x) => x.kind === 'owner')) list.push({ column: 'id', kind: 'identity', source: 'identity table' });
    for (const c of t.columns) {
      if (list.some((x) => x.column === c.name)) continue;
      // A foreign key that names another table (customer_id → a billing app's customers) is that table's key, not the member.
      const elsewhere =
        catalog.foreignKeysOf(t.schema, t.name).some((fk) => fk.columns.length === 1 && fk.columns[0] === c.name && fk.references && !signIn.has(catalog.table(fk.references.schema, fk.references.table)!)) ||
        ((named) => named !== undefined && !signIn.has(named))(tableForKeyColumn(catalog, t, c.name));
      // owner_id beside owner_type: a polymorphic reference (an owner of any kind), not the member.
      const polymorphic = t.columns.some((x) => snakeName(x.name) === snakeName(c.name).replace(/_id$/, '_type'));
      if (polymorphic) continue;
      if (TENANT_COLUMN.test(c.name)) list.push({ column: c.name, kind: 'tenant', source: 'column name (a tenant)' });
      else if (OWNER_COLUMN.test(c.name) && !elsewhere) list.push({ column: c.name, kind: 'owner', source: 'column name' });
      else if (AUTHOR_COLUMN.test(c.name) && !elsewhere) list.push({ column: c.name, kind: 'author', source: 'column name' });
    }
    // The member's own column first, then who wrote it, then the tenant.
    list.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
    for (const p of catalog.policiesOf(t.schema, t.name)) {
      for (const c of t.columns) {
        const text = `${p.using ?? ''} ${p.withCheck ?? ''}`;
        if (mentionsWord(text, c.name) && /(uid\(\)|current_setting|current_user|session_user|auth\.)/.test(text) && !list.some((x) => x.column === c.name)) {
          list.push({ column: c.name, kind: 'owner', source: `RLS policy ${p.name}` });
        }
      }
    }
    direct.set(key, list);
  }
  const result = new Map<string, TableOwnership>();
  for (const t of snapshot.tables) {
    const key = tableKey(t.schema, t.name);
    const own = direct.get(key) ?? [];
    const paths: OwnerPath[] = [];
    if (own.length === 0) {
      // Breadth-first over foreign keys: the first table(s) with an owner column give the path.
      let frontier: { table: Table; column: string; through: string[]; hops: Hop[] }[] = catalog
        .foreignKeysOf(t.schema, t.name)
        .filter((fk) => fk.columns.length === 1 && fk.references && fk.references.columns.length === 1)
        .map((fk) => ({
          table: catalog.table(fk.references!.schema, fk.references!.table)!,
          column: fk.columns[0]!,
          through: [] as string[],
          hops: [{ from: key, column: fk.columns[0]!, to: tableKey(fk.references!.schema, fk.references!.table), toColumn: fk.references!.columns[0]! }],
        }))
        .filter((x) => x.table);
      for (let hop = 1; hop <= 3 && frontier.length > 0 && paths.length === 0; hop++) {
        const next: typeof frontier = [];
        for (const f of frontier) {
          const fkey = tableKey(f.table.schema, f.table.name);
          const through = [...f.through, fkey];
          for (const o of direct.get(fkey) ?? []) paths.push({ column: f.column, hops: f.hops, through, ownerColumn: o.column, kind: o.kind });
          for (const fk of catalog.foreignKeysOf(f.table.schema, f.table.name)) {
            const target = fk.references ? catalog.table(fk.references.schema, fk.references.table) : undefined;
            if (target && fk.columns.length === 1 && fk.references!.columns.length === 1 && !through.includes(tableKey(target.schema, target.name)) && target !== t) {
              next.push({ table: target, column: f.column, through, hops: [...f.hops, { from: fkey, column: fk.columns[0]!, to: tableKey(target.schema, target.name), toColumn: fk.references!.columns[0]! }] });
            }
          }
        }
        frontier = next;
      }
    }
    const sensitive = PAYMENT_TABLE.test(t.name) || t.columns.some((c) => PERSONAL_COLUMN.test(c.name) || SECRET_COLUMN.test(c.name));
    result.set(key, { schema: t.schema, table: t.name, ownerColumns: own, paths, public: publicTables.has(key) || publicTables.has(t.name), sensitive });
  }
  return result;
}

/**
 * Owner-scoped for reads: a column (or path) that says whose row it is — not who wrote it (an author), and not the
 * member row itself: the sign-in table's rows are the profiles members see of each other (a post's author, a member
 * list), so reading one is no IDOR; changing one is (scopedForWrites).
 */
export function scopedForReads(o: TableOwnership | undefined): boolean {
  return !!o && !o.public && (o.ownerColumns.some((c) => c.kind !== 'author' && c.kind !== 'identity') || o.paths.some((p) => p.kind !== 'author'));
}

/** Owner-scoped for writes: any owner, identity or author column. */
export function scopedForWrites(o: TableOwnership | undefined): boolean {
  return !!o && !o.public && (o.ownerColumns.length > 0 || o.paths.length > 0);
}
