import type { Snapshot, Table } from '../model/snapshot.js';

/** "post" → posts, "category" → categories, "person" as is: the plural forms app schemas use. */
export function pluralForms(singular: string): string[] {
  const forms = [singular, `${singular}s`, `${singular}es`];
  if (singular.endsWith('y')) forms.push(`${singular.slice(0, -1)}ies`);
  return forms;
}

/** `post_id` on a table without a foreign key: the table it names (posts), when exactly one matches. */
export function tableForKeyColumn(snapshot: Snapshot, on: Table, column: string): Table | undefined {
  const m = /^(.+)_id$/.exec(column);
  if (!m) return undefined;
  const names = pluralForms(m[1]!);
  const found = snapshot.tables.filter((t) => t !== on && names.includes(t.name) && t.columns.some((c) => c.name === 'id'));
  const sameSchema = found.filter((t) => t.schema === on.schema);
  return sameSchema.length === 1 ? sameSchema[0] : found.length === 1 ? found[0] : undefined;
}

/** Tables with a `<singular>_id` column naming this one, when no foreign key says so. */
export function tablesReferencingByName(snapshot: Snapshot, target: Table): Table[] {
  return snapshot.tables.filter((t) => t !== target && t.columns.some((c) => tableForKeyColumn(snapshot, t, c.name) === target));
}
