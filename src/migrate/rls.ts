import type { Snapshot, Table } from '../model/snapshot.js';
import type { Migration } from '../model/finding.js';
import { hasIndexLeadingWith } from '../derive/index-match.js';
import type { TableOwnership } from '../scope/ownership.js';
import { objectName, qualified, quoteIdent } from '../sql/quote.js';
import { createIndexMigration } from './recipes.js';
import { inTransaction } from './transaction.js';
import type { ScanState } from '../derive/scan-state.js';

/** How the app tells the database who the member is. */
export type IdentityMechanism = 'supabase' | 'setting';

export function identityMechanism(snapshot: Snapshot): IdentityMechanism {
  return snapshot.roles.some((r) => r.name === 'authenticated') && snapshot.tables.some((t) => t.schema === 'auth' && t.name === 'users') ? 'supabase' : 'setting';
}

/** The current member's id, evaluated once per statement (an initplan), cast to the owner column's type. */
export function currentMember(mechanism: IdentityMechanism, type: string): string {
  // nullif: once set in a session, an unset local value reads back as '' (not NULL), which no cast accepts.
  return mechanism === 'supabase' ? '(select auth.uid())' : `(select nullif(current_setting('app.user_id', true), '')::${type})`;
}

export const SETTING_NOTE =
  "The app must run SET LOCAL app.user_id = '<member id>' (or set_config('app.user_id', $1, true)) at the start of each transaction. Never a plain SET with a transaction pooler (PgBouncer/Supavisor in transaction mode): it would leak to the next client.";

function split(key: string): [string, string] {
  const dot = key.indexOf('.');
  return [key.slice(0, dot), key.slice(dot + 1)];
}

/**
 * Enable and force RLS on an owner-scoped table, with owner policies written from the inferred owner column
 * (or the foreign-key path to it), in one transaction; the index the policy needs goes first, in its own file.
 */
export function rlsMigrations(scan: ScanState, table: Table, own: TableOwnership, role: string | null): Migration[] | undefined {
  const { snapshot, catalog } = scan;
  const mechanism = identityMechanism(snapshot);
  const t = qualified(table.schema, table.name);
  const to = role ? quoteIdent(role) : 'PUBLIC';
  const direct = own.ownerColumns[0];
  const path = own.paths[0];
  const steps: Migration[] = [];
  let ownerPredicate: string;
  let kind: string;
  let indexColumn: string;
  if (direct) {
    const type = table.columns.find((c) => c.name === direct.column)?.type ?? 'bigint';
    ownerPredicate = `${quoteIdent(direct.column)} = ${currentMember(mechanism, type)}`;
    kind = direct.kind;
    indexColumn = direct.column;
  } else if (path) {
    const last = path.hops[path.hops.length - 1]!;
    const [ownerSchema, ownerTable] = split(last.to);
    const ownerType = catalog.table(ownerSchema, ownerTable)?.columns.find((c) => c.name === path.ownerColumn)?.type ?? 'bigint';
    // EXISTS over the chain of foreign keys, ending at the owner column.
    const aliases = path.hops.map((_, i) => `h${i + 1}`);
    const from = path.hops.map((h, i) => `${qualified(...split(h.to))} ${aliases[i]}`).join(', ');
    const joins = path.hops.map((h, i) => `${aliases[i]}.${quoteIdent(h.toColumn)} = ${i === 0 ? `${t}.${quoteIdent(h.column)}` : `${aliases[i - 1]}.${quoteIdent(h.column)}`}`);
    ownerPredicate = `EXISTS (SELECT 1 FROM ${from} WHERE ${joins.join(' AND ')} AND ${aliases[aliases.length - 1]}.${quoteIdent(path.ownerColumn)} = ${currentMember(mechanism, ownerType)})`;
    kind = path.kind;
    indexColumn = path.column;
  } else {
    return undefined;
  }
  if (!hasIndexLeadingWith(catalog.indexesOf(table.schema, table.name), [indexColumn])) {
    steps.push(createIndexMigration({ schema: table.schema, table: table.name, name: objectName([table.name, indexColumn], 'idx'), keys: [quoteIdent(indexColumn)] }, `The index the row-level security policy on ${table.name}.${indexColumn} needs.`));
  }
  const name = (suffix: string): string => quoteIdent(objectName([table.name, 'owner'], suffix));
  const policies =
    kind === 'author'
      ? [
          `CREATE POLICY ${name('read')} ON ${t} FOR SELECT TO ${to} USING (true);`,
          `CREATE POLICY ${name('insert')} ON ${t} FOR INSERT TO ${to} WITH CHECK (${ownerPredicate});`,
          `CREATE POLICY ${name('update')} ON ${t} FOR UPDATE TO ${to} USING (${ownerPredicate}) WITH CHECK (${ownerPredicate});`,
          `CREATE POLICY ${name('delete')} ON ${t} FOR DELETE TO ${to} USING (${ownerPredicate});`,
        ]
      : [`CREATE POLICY ${name('all')} ON ${t} FOR ALL TO ${to} USING (${ownerPredicate}) WITH CHECK (${ownerPredicate});`];
  const policyNames = kind === 'author' ? ['read', 'insert', 'update', 'delete'] : ['all'];
  steps.push({
    name: `enable_rls_${table.name}`,
    up: inTransaction(
      [
        `Row-level security on ${table.schema}.${table.name}: ${kind === 'author' ? 'everyone reads, only the author writes' : 'each member sees and changes only their rows'}.`,
        ...(mechanism === 'supabase' ? 'Identity: auth.uid() (Supabase).' : SETTING_NOTE).split('\n').map((line) => line.replace(/^-- /, '')),
        'FORCE makes it apply to the table owner too (an ORM that connects as the owner).',
      ],
      [
        ...policyNames.map((p) => `DROP POLICY IF EXISTS ${name(p)} ON ${t};`),
        ...policies,
        `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY;`,
        `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`,
      ],
    ),
    down: inTransaction(`Remove row-level security from ${table.schema}.${table.name}.`, [
      `ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY;`,
      `ALTER TABLE ${t} DISABLE ROW LEVEL SECURITY;`,
      ...policyNames.map((p) => `DROP POLICY IF EXISTS ${name(p)} ON ${t};`),
    ]),
    transactional: true,
    lock: 'ACCESS EXCLUSIVE',
  });
  return steps;
}
