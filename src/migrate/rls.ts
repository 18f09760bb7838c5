import { plural } from '../derive/format.js';
import { preAuthLookup } from '../scope/pre-auth.js';
import type { Table } from '../model/snapshot.js';
import type { Catalog } from '../derive/catalog.js';
import { oneLine } from '../derive/format.js';
import { decisionTemplate } from './decision.js';
import type { Migration } from '../model/finding.js';
import { hasIndexLeadingWith } from '../derive/index-match.js';
import type { TableOwnership } from '../scope/ownership.js';
import { objectName, qualified, quoteIdent } from '../sql/quote.js';
import { createIndexMigration } from './recipes.js';
import { inTransaction } from './transaction.js';
import type { ScanState } from '../derive/scan-state.js';

/** How the app tells the database who the member is. */
export type IdentityMechanism = 'supabase' | 'setting';

export function identityMechanism(catalog: Catalog): IdentityMechanism {
  return catalog.role('authenticated') && catalog.table('auth', 'users') ? 'supabase' : 'setting';
}

/**
 * The evidence a person needs to decide on a policy: where ownership was inferred from, and how the captured
 * workload reads the table — which statements filter by the owner column (they keep their rows) and which do not
 * (under the policy they return only the signed-in member's rows: a login, a public page or an admin screen breaks).
 */
function policyEvidence(scan: ScanState, table: Table, own: TableOwnership, column: string): string[] {
  const evidence = [`owner inferred from: ${own.ownerColumns.map((c) => `${c.column} (${c.source})`).join(', ') || own.paths.map((p) => `${p.column} → ${p.through.join(' → ')}.${p.ownerColumn}`).join(', ')}`];
  const reads = scan.workload.onTable(table.schema, table.name).filter((s) => s.parsed.ok && s.parsed.shape.kind === 'select');
  const scoped = reads.filter((s) => s.parsed.ok && s.parsed.shape.predicates.some((p) => p.column === column && p.op === '=' && !p.inOr && s.tables[p.tableId ?? -1] === table));
  const unscoped = reads.filter((s) => !scoped.includes(s));
  evidence.push(`${plural(reads.length, 'captured statement')} read ${table.name}: ${scoped.length} filter by ${column} (they keep their rows), ${unscoped.length} do not (under this policy they return only the signed-in member's rows)`);
  for (const s of unscoped.slice(0, 5)) {
    const ref = s.tables.indexOf(table);
    const preAuth = s.parsed.ok && ref >= 0 ? preAuthLookup(s.parsed.shape, ref, table, scan.catalog) : null;
    evidence.push(
      preAuth
        ? `runs before sign-in (a lookup by ${preAuth.column}): under this policy it finds nothing; move it into a SECURITY DEFINER function owned by a role the policy does not restrict: ${oneLine(s.stat.query, 120)} (${s.stat.calls} calls)`
        : `not scoped by ${column}: ${oneLine(s.stat.query, 140)} (${s.stat.calls} calls)`,
    );
  }
  return evidence;
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
  const mechanism = identityMechanism(catalog);
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
  const decision = `Is every row of ${table.schema}.${table.name} visible only to the member in ${indexColumn}${kind === 'author' ? ' for writes (everyone reads)' : ''}? Check the statements below: any that must see other members' rows (login, public pages, admin, background jobs) needs its own policy or a role that bypasses RLS.`;
  steps.push({
    risk: 'decision',
    decision,
    name: `enable_rls_${table.name}`,
    up: decisionTemplate(decision, policyEvidence(scan, table, own, indexColumn), inTransaction(
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
    )),
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
