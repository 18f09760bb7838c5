import type { Column, Constraint, Index, Snapshot, Table } from '../model/snapshot.js';

export function tableKey(schema: string, table: string): string {
  return `${schema}.${table}`;
}

/** Fast lookups over a snapshot's catalog, built once per snapshot. */
export class Catalog {
  private readonly tables = new Map<string, Table>();
  private readonly byName = new Map<string, Table[]>();
  private readonly indexes = new Map<string, Index[]>();
  private readonly constraints = new Map<string, Constraint[]>();

  constructor(readonly snapshot: Snapshot) {
    for (const t of snapshot.tables) {
      this.tables.set(tableKey(t.schema, t.name), t);
      const list = this.byName.get(t.name) ?? [];
      list.push(t);
      this.byName.set(t.name, list);
    }
    for (const i of snapshot.indexes) push(this.indexes, tableKey(i.schema, i.table), i);
    for (const c of snapshot.constraints) push(this.constraints, tableKey(c.schema, c.table), c);
  }

  table(schema: string, name: string): Table | undefined {
    return this.tables.get(tableKey(schema, name));
  }

  /** Resolve a table name as written in SQL: schema-qualified, else `public`, else the only table of that name. */
  resolveTable(schema: string | null, name: string): Table | undefined {
    if (schema) return this.table(schema, name);
    const candidates = this.byName.get(name) ?? [];
    return candidates.find((t) => t.schema === 'public') ?? (candidates.length === 1 ? candidates[0] : undefined);
  }

  column(table: Table, name: string): Column | undefined {
    return table.columns.find((c) => c.name === name);
  }

  indexesOf(schema: string, table: string): readonly Index[] {
    return this.indexes.get(tableKey(schema, table)) ?? [];
  }

  constraintsOf(schema: string, table: string): readonly Constraint[] {
    return this.constraints.get(tableKey(schema, table)) ?? [];
  }

  foreignKeysOf(schema: string, table: string): readonly Constraint[] {
    return this.constraintsOf(schema, table).filter((c) => c.type === 'foreign');
  }

  /** Foreign keys of other tables that point at this one. */
  referencing(schema: string, table: string): Constraint[] {
    return this.snapshot.constraints.filter((c) => c.type === 'foreign' && c.references?.schema === schema && c.references.table === table);
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
