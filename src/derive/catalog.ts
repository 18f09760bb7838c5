import type { Column, ColumnStats, Constraint, DataCheck, Grant, Index, Policy, Role, Snapshot, Table, ValueCheck } from '../model/snapshot.js';
import { snakeName } from '../sql/identifier.js';

/** A table's display key, `schema.table` (for messages and ownership paths; maps use `key` below). */
export function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}

/** An unambiguous map key from name parts (names may hold dots, never NUL). Fixed arity: lookups are hot. */
function key(schema: string, table: string, column?: string): string {
  return column === undefined ? `${schema}\u0000${table}` : `${schema}\u0000${table}\u0000${column}`;
}

/** The key of a column list (a unique check's keys). */
const keysKey = (schema: string, table: string, columns: readonly string[]): string => [schema, table, ...columns].join('\u0000');

/**
 * Lookups over a snapshot, built once per snapshot: every per-object question a rule asks (this table's
 * indexes, grants, policies, data checks, who references it) is a map read, so a pass over all objects stays
 * linear in their number.
 */
export class Catalog {
  private readonly tables = new Map<string, Table>();
  private readonly byName = new Map<string, Table[]>();
  /** Tables by their name's words ("Member", "member" and "MEMBER" alike: see sql/identifier.ts). */
  private readonly byWords = new Map<string, Table[]>();
  private readonly indexes = new Map<string, Index[]>();
  private readonly constraints = new Map<string, Constraint[]>();
  private readonly referencingFks = new Map<string, Constraint[]>();
  private readonly foreignKeys = new Map<string, Constraint[]>();
  private readonly policies = new Map<string, Policy[]>();
  private readonly grants = new Map<string, Grant[]>();
  private readonly roles = new Map<string, Role>();
  private readonly stats = new Map<string, ColumnStats>();
  private readonly columns = new Map<Table, Map<string, Column>>();
  private readonly nulls = new Map<string, DataCheck>();
  private readonly orphans = new Map<string, DataCheck>();
  private readonly uniques = new Map<string, DataCheck>();
  private readonly values = new Map<string, ValueCheck>();
  private readonly statementsPerRole = new Map<string | null, number>();
  private readonly memo = new Map<symbol, unknown>();

  constructor(readonly snapshot: Snapshot) {
    for (const t of snapshot.tables) {
      this.tables.set(key(t.schema, t.name), t);
      push(this.byName, t.name, t);
      push(this.byWords, snakeName(t.name), t);
    }
    for (const i of snapshot.indexes) push(this.indexes, key(i.schema, i.table), i);
    for (const c of snapshot.constraints) {
      push(this.constraints, key(c.schema, c.table), c);
      if (c.type === 'foreign') push(this.foreignKeys, key(c.schema, c.table), c);
      if (c.type === 'foreign' && c.references) push(this.referencingFks, key(c.references.schema, c.references.table), c);
    }
    for (const p of snapshot.policies) push(this.policies, key(p.schema, p.table), p);
    for (const g of snapshot.grants) push(this.grants, key(g.schema, g.table), g);
    for (const r of snapshot.roles) this.roles.set(r.name, r);
    for (const s of snapshot.columnStats) this.stats.set(key(s.schema, s.table, s.column), s);
    const checks = snapshot.dataChecks;
    for (const d of checks.nulls) this.nulls.set(key(d.schema, d.table, d.columns[0] ?? ''), d);
    for (const d of checks.foreignKeys) this.orphans.set(key(d.schema, d.table, d.columns[0] ?? ''), d);
    for (const d of checks.uniques) this.uniques.set(keysKey(d.schema, d.table, d.columns), d);
    for (const v of checks.values) this.values.set(key(v.schema, v.table, v.column), v);
    for (const s of snapshot.statements) this.statementsPerRole.set(s.role, (this.statementsPerRole.get(s.role) ?? 0) + 1);
  }

  /**
   * A lookup another layer derives from the whole snapshot (e.g. tables referenced by column name), built on
   * first use and kept with the catalog, so rules that ask per object never rebuild it.
   */
  derived<T>(id: symbol, build: () => T): T {
    if (!this.memo.has(id)) this.memo.set(id, build());
    return this.memo.get(id) as T;
  }

  table(schema: string, name: string): Table | undefined {
    return this.tables.get(key(schema, name));
  }

  /** Every table of this name, in any schema. */
  tablesNamed(name: string): readonly Table[] {
    return this.byName.get(name) ?? [];
  }

  /** Tables whose name has these words in any naming style (`member_profile` finds "MemberProfile"). */
  tablesNamedWords(words: string): readonly Table[] {
    return this.byWords.get(words) ?? [];
  }

  /** Resolve a table name as written in SQL: schema-qualified, else `public`, else the only table of that name. */
  resolveTable(schema: string | null, name: string): Table | undefined {
    if (schema) return this.table(schema, name);
    const candidates = this.byName.get(name) ?? [];
    return candidates.find((t) => t.schema === 'public') ?? (candidates.length === 1 ? candidates[0] : undefined);
  }

  column(table: Table, name: string): Column | undefined {
    let byName = this.columns.get(table);
    if (!byName) {
      byName = new Map(table.columns.map((c) => [c.name, c]));
      this.columns.set(table, byName);
    }
    return byName.get(name);
  }

  indexesOf(schema: string, table: string): readonly Index[] {
    return this.indexes.get(key(schema, table)) ?? [];
  }

  constraintsOf(schema: string, table: string): readonly Constraint[] {
    return this.constraints.get(key(schema, table)) ?? [];
  }

  policiesOf(schema: string, table: string): readonly Policy[] {
    return this.policies.get(key(schema, table)) ?? [];
  }

  grantsOn(schema: string, table: string): readonly Grant[] {
    return this.grants.get(key(schema, table)) ?? [];
  }

  role(name: string): Role | undefined {
    return this.roles.get(name);
  }

  columnStat(schema: string, table: string, column: string): ColumnStats | undefined {
    return this.stats.get(key(schema, table, column));
  }

  /** How many captured statements ran as this role. */
  statementCount(role: string | null): number {
    return this.statementsPerRole.get(role) ?? 0;
  }

  nullCheck(schema: string, table: string, column: string): DataCheck | undefined {
    return this.nulls.get(key(schema, table, column));
  }

  foreignKeyCheck(schema: string, table: string, column: string): DataCheck | undefined {
    return this.orphans.get(key(schema, table, column));
  }

  uniqueCheck(schema: string, table: string, keys: readonly string[]): DataCheck | undefined {
    return this.uniques.get(keysKey(schema, table, keys));
  }

  valueCheck(schema: string, table: string, column: string): ValueCheck | undefined {
    return this.values.get(key(schema, table, column));
  }

  foreignKeysOf(schema: string, table: string): readonly Constraint[] {
    return this.foreignKeys.get(key(schema, table)) ?? [];
  }

  /** Foreign keys of other tables that point at this one. */
  referencing(schema: string, table: string): readonly Constraint[] {
    return this.referencingFks.get(key(schema, table)) ?? [];
  }

  primaryKey(schema: string, table: string): Constraint | undefined {
    return this.constraintsOf(schema, table).find((c) => c.type === 'primary');
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
