import type { Constraint, Index, Snapshot, Table } from '../model/snapshot.js';
import { snakeName } from '../sql/identifier.js';
import { AUTHOR_COLUMN, isIdentityTable, OWNER_COLUMN, tableForKeyColumn } from '../scope/vocabulary.js';

// Candidates for data checks and integrity rules, from the catalog alone (pure; shared by collector and rules).

const TYPE_FAMILY = (type: string): string => (/^(smallint|integer|bigint)$/.test(type) ? 'int' : type.replace(/\(.*\)/, ''));

export interface ForeignKeyCandidate {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly target: { readonly schema: string; readonly table: string; readonly column: string };
  readonly nullable: boolean;
  readonly by: 'name' | 'person column';
}

const IDENTITY_BY_SCHEMA = Symbol('identity tables by schema');

/** The member tables of one schema (users, members…), from a map built once per scan. */
function identityTablesIn(catalog: Catalog, schema: string): readonly Table[] {
  return catalog.derived(IDENTITY_BY_SCHEMA, () => {
    const bySchema = new Map<string, Table[]>();
    for (const t of catalog.snapshot.tables) if (isIdentityTable(t)) bySchema.set(t.schema, [...(bySchema.get(t.schema) ?? []), t]);
    return bySchema;
  }).get(schema) ?? [];
}

export function foreignKeyCandidates(scan: ScanState): ForeignKeyCandidate[] {
  const { snapshot, catalog } = scan;
  const out: ForeignKeyCandidate[] = [];
  for (const t of snapshot.tables) {
    if (t.isPartition) continue;
    const fkColumns = new Set(catalog.foreignKeysOf(t.schema, t.name).flatMap((c) => c.columns));
    for (const c of t.columns) {
      if (fkColumns.has(c.name) || c.name === 'id') continue;
      let target: Table | undefined;
      let by: ForeignKeyCandidate['by'] = 'name';
      if (AUTHOR_COLUMN.test(c.name) || snakeName(c.name) === 'owner_id') {
        const identities = identityTablesIn(catalog, t.schema);
        if (identities.length === 1) {
          target = identities[0];
          by = 'person column';
        }
      }
      target ??= /_id$/.test(c.name) ? tableForKeyColumn(catalog, t, c.name) : undefined;
      if (!target) continue;
      const pk = catalog.primaryKey(target.schema, target.name);
      const keyColumn = pk && pk.columns.length === 1 ? pk.columns[0]! : undefined;
      const key = keyColumn ? target.columns.find((x) => x.name === keyColumn) : undefined;
      if (!key || TYPE_FAMILY(key.type) !== TYPE_FAMILY(c.type)) continue;
      out.push({ schema: t.schema, table: t.name, column: c.name, target: { schema: target.schema, table: target.name, column: key.name }, nullable: !c.notNull, by });
    }
  }
  return out;
}

import type { KeyPart } from '../sql/quote.js';
import type { ScanState } from '../derive/scan-state.js';
import type { Catalog } from '../derive/catalog.js';

const plain = (columns: readonly string[]): KeyPart[] => columns.map((column) => ({ column, lower: false }));

export interface UniqueCandidate {
  readonly schema: string;
  readonly table: string;
  /** Key parts as labels for messages and ids: column names, or "lower(email)". */
  readonly keys: readonly string[];
  /** The same keys as structured data: SQL is built from these, never from the labels. */
  readonly keyParts: readonly KeyPart[];
  readonly columns: readonly string[];
  readonly kind: 'email' | 'slug' | 'token' | 'external-id' | 'pair';
  /** A unique index that covers it only partly (case-sensitive email), if any. */
  readonly weaker: string | null;
}

/**
 * Unique indexes that settle the question, partial ones included: `UNIQUE (user_id, org_id) WHERE revoked_at IS
 * NULL` is the app's rule (one live membership), a decision already made; a full unique index (and a dedupe that
 * keeps an arbitrary row) would contradict it.
 */
function uniqueIndexes(indexes: readonly Index[]): Index[] {
  return indexes.filter((i) => i.unique && i.valid);
}

function keysOf(i: Index): string[] {
  let e = 0;
  return i.keyColumns.map((c) => c ?? i.expressions[e++] ?? '?');
}

export function uniqueCandidates(scan: ScanState): UniqueCandidate[] {
  const { snapshot, catalog } = scan;
  const out: UniqueCandidate[] = [];
  for (const t of snapshot.tables) {
    if (t.isPartition) continue;
    const uniques = uniqueIndexes(catalog.indexesOf(t.schema, t.name));
    const uniqueKeySets = uniques.map((i) => keysOf(i));
    const hasUniqueOn = (keys: string[]): boolean => uniqueKeySets.some((k) => k.length === keys.length && keys.every((x) => k.includes(x)));
    for (const c of t.columns) {
      if (!/(char|text)/.test(c.type)) continue;
      if (/^e?mail$|_email$|^email/.test(c.name) && isIdentityTable(t)) {
        const citext = c.type === 'citext';
        const lowerKey = `lower(${c.name})`;
        if (hasUniqueOn([lowerKey]) || (citext && hasUniqueOn([c.name]))) continue;
        out.push({ schema: t.schema, table: t.name, keys: [lowerKey], keyParts: [{ column: c.name, lower: true }], columns: [c.name], kind: 'email', weaker: uniques.find((i) => keysOf(i).length === 1 && keysOf(i)[0] === c.name)?.name ?? null });
      } else if (/^slug$|_slug$/.test(c.name)) {
        if (uniqueKeySets.some((k) => k.includes(c.name))) continue;
        out.push({ schema: t.schema, table: t.name, keys: [c.name], keyParts: plain([c.name]), columns: [c.name], kind: 'slug', weaker: null });
      } else if (/(^|_)token$/.test(c.name) || /^(stripe_\w+_id|\w+_ref|external_id|\w+_external_id)$/.test(c.name)) {
        if (hasUniqueOn([c.name])) continue;
        out.push({ schema: t.schema, table: t.name, keys: [c.name], keyParts: plain([c.name]), columns: [c.name], kind: /token$/.test(c.name) ? 'token' : 'external-id', weaker: null });
      }
    }
    const pair = membershipPair(t, catalog.foreignKeysOf(t.schema, t.name));
    if (pair && !hasUniqueOn(pair)) out.push({ schema: t.schema, table: t.name, keys: pair, keyParts: plain(pair), columns: pair, kind: 'pair', weaker: null });
  }
  return out;
}

/** The (member, group) foreign-key pair of a join/membership table: at most one row per pair. */
function membershipPair(t: Table, fks: readonly Constraint[]): string[] | null {
  const single = fks.filter((f) => f.columns.length === 1 && f.references);
  const person = single.find((f) => isIdentityTable({ schema: f.references!.schema, name: f.references!.table }));
  if (!person) return null;
  const others = single.filter((f) => f !== person && !isIdentityTable({ schema: f.references!.schema, name: f.references!.table }));
  const joinName = /(membership|subscription|follow|like|enrollment|participant|favorite|favourite|bookmark|vote|reaction|member_role|attendee)s?$/.test(t.name);
  const group = others.find((f) => /(community|group|team|org|organization|workspace|project|channel|club|event|post)_id$/.test(f.columns[0]!)) ?? (others.length === 1 ? others[0] : undefined);
  // Without a join-table name, only a table of nothing but the pair (plus id, timestamps, role or status) qualifies.
  const plain = t.columns.every((c) => [person.columns[0], group?.columns[0], 'id', 'created_at', 'updated_at', 'joined_at', 'role', 'status'].includes(c.name));
  if (!group || (!joinName && !plain)) return null;
  return [person.columns[0]!, group.columns[0]!];
}

export interface NotNullCandidate {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly why: 'foreign key' | 'owner column';
}

export function notNullCandidates(scan: ScanState): NotNullCandidate[] {
  const { snapshot, catalog } = scan;
  const out: NotNullCandidate[] = [];
  for (const t of snapshot.tables) {
    if (t.isPartition) continue;
    const fkCols = new Set(catalog.foreignKeysOf(t.schema, t.name).filter((f) => f.columns.length === 1).map((f) => f.columns[0]!));
    for (const c of t.columns) {
      if (c.notNull) continue;
      const owner = OWNER_COLUMN.test(c.name);
      if (fkCols.has(c.name) || owner) out.push({ schema: t.schema, table: t.name, column: c.name, why: owner ? 'owner column' : 'foreign key' });
    }
  }
  return out;
}

export interface CheckCandidate {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** Planner's distinct estimate; null when pg_stats has nothing for the table (not readable, or not analyzed). */
  readonly distinct: number | null;
}

const ENUM_NAMES = /(^|_)(status|state|role|type|kind|interval|tier|level|visibility|currency|plan|frequency|period)$/;

/**
 * Enum-like text columns: an enum-like name, few distinct values in pg_stats (or no statistics at all for the
 * table, when the role may not read them: the data check then decides), no CHECK mentioning them.
 */
export function checkCandidates(scan: ScanState, maxDistinct = 12): CheckCandidate[] {
  const { snapshot, catalog } = scan;
  const stats = new Map(snapshot.columnStats.map((s) => [`${s.schema}\u0000${s.table}\u0000${s.column}`, s]));
  const tablesWithStats = new Set(snapshot.columnStats.map((s) => `${s.schema}\u0000${s.table}`));
  const out: CheckCandidate[] = [];
  for (const t of snapshot.tables) {
    if (t.isPartition || t.rowEstimate < 20) continue;
    for (const c of t.columns) {
      if (!/^(text|character varying|varchar)/.test(c.type) || !ENUM_NAMES.test(c.name)) continue;
      const s = stats.get(`${t.schema}\u0000${t.name}\u0000${c.name}`);
      if (!s && tablesWithStats.has(`${t.schema}\u0000${t.name}`)) continue;
      const distinct = s ? (s.nDistinct < 0 ? -s.nDistinct * t.rowEstimate : s.nDistinct) : null;
      if (distinct !== null && (distinct < 1 || distinct > maxDistinct)) continue;
      const checked = catalog.constraintsOf(t.schema, t.name).some((k) => k.type === 'check' && k.definition.includes(c.name));
      if (!checked) out.push({ schema: t.schema, table: t.name, column: c.name, distinct: distinct === null ? null : Math.round(distinct) });
    }
  }
  return out;
}
