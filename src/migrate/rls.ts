import { plural } from '../derive/format.js';
import { readScopes } from '../scope/read-scopes.js';
import type { ReadScope, ScopedRead } from '../scope/read-scopes.js';
import type { Table } from '../model/snapshot.js';
import type { Catalog } from '../derive/catalog.js';
import { oneLine } from '../derive/format.js';
import { decisionTemplate } from './decision.js';
import type { Migration } from '../model/finding.js';
import { hasIndexLeadingWith } from '../derive/index-match.js';
import type { TableOwnership } from '../scope/ownership.js';
import { tenantMembership } from '../scope/ownership.js';
import type { TenantMembership } from '../scope/ownership.js';
import { objectName, qualified, quoteIdent } from '../sql/quote.js';
import { createIndexMigration } from './recipes.js';
import { inTransaction } from './transaction.js';
import type { ScanState } from '../derive/scan-state.js';

/** How the app tells the database who the member is. */
export type IdentityMechanism = 'supabase' | 'setting';

export function identityMechanism(catalog: Catalog): IdentityMechanism {
  return catalog.role('authenticated') && catalog.table('auth', 'users') ? 'supabase' : 'setting';
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

/** The member belongs to the tenant in `value` (an SQL expression): a live row of the membership table. */
function memberOfTenant(m: TenantMembership, column: string, value: string, me: (type: string) => string): string {
  return `EXISTS (SELECT 1 FROM ${qualified(m.table.schema, m.table.name)} tm WHERE tm.${quoteIdent(column)} = ${value} AND tm.${quoteIdent(m.memberColumn)} = ${me(columnType(m.table, m.memberColumn))}${m.ended ? ` AND tm.${quoteIdent(m.ended)} IS NULL` : ''})`;
}

/** The tenants a member belongs to, as a predicate on the table's tenant column; null without a membership table. */
function tenantPredicate(scan: ScanState, ownership: ReadonlyMap<string, TableOwnership>, table: Table, column: string, t: string, me: (type: string) => string): string | null {
  const m = tenantMembership(scan, ownership, table, column);
  return m ? memberOfTenant(m, column, `${t}.${quoteIdent(column)}`, me) : null;
}

/** A read's scope as a policy predicate over the table `t`, for the member `me` of the given type. */
function scopePredicate(scope: ReadScope, t: string, me: (type: string) => string, catalog: Catalog, table: Table, tenant: (column: string) => string | null): string | null {
  if (scope.kind === 'owner') return `${quoteIdent(scope.column)} = ${me(columnType(table, scope.column))}`;
  if (scope.kind === 'tenant') return tenant(scope.column);
  if (scope.kind === 'through') {
    return `EXISTS (SELECT 1 FROM ${qualified(scope.via.schema, scope.via.name)} m WHERE m.${quoteIdent(scope.viaColumn)} = ${t}.${quoteIdent(scope.column)} AND m.${quoteIdent(scope.memberColumn)} = ${me(columnType(catalog.table(scope.via.schema, scope.via.name) ?? scope.via, scope.memberColumn))})`;
  }
  return null;
}

function columnType(table: Table, column: string): string {
  return table.columns.find((c) => c.name === column)?.type ?? 'bigint';
}

/** One line per captured read: how it scopes the table, and whether the proposed policy keeps its rows. */
function readEvidence(reads: readonly ScopedRead[], open: boolean): string[] {
  const lines: string[] = [];
  const counts = new Map<string, number>();
  for (const r of reads) counts.set(r.scope.kind, (counts.get(r.scope.kind) ?? 0) + 1);
  lines.push(`${plural(reads.length, 'captured statement')} read this table: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ') || 'none (the policy below is inferred from names alone)'}`);
  for (const r of reads.slice(0, 6)) {
    const q = `${oneLine(r.statement.stat.query, 110)} (${r.statement.stat.calls} calls)`;
    const s = r.scope;
    lines.push(
      s.kind === 'owner'
        ? `keeps its rows (scoped by ${s.column}): ${q}`
        : s.kind === 'through'
          ? `keeps its rows (through ${s.via.name}.${s.memberColumn}): ${q}`
          : s.kind === 'tenant'
            ? `keeps its rows for members of the tenant in ${s.column}: ${q}`
          : s.kind === 'by-key'
            ? `one row by ${s.column}: the member keeps their own row, other members' rows are hidden (the IDOR this closes): ${q}`
            : s.kind === 'pre-auth'
              ? `runs before sign-in (a lookup by ${s.column}): no member policy can serve it, so reads stay open; to close them, move it into a SECURITY DEFINER function owned by a role with BYPASSRLS (FORCE applies RLS to the table owner too): ${q}`
              : `reads many members' rows (a listing, a job or an admin screen): ${open ? 'reads stay open so it keeps its rows; to close them, run it as a role with BYPASSRLS' : 'under the policy it would see only the signed-in member\'s rows'}: ${q}`,
    );
  }
  return lines;
}

/**
 * Enable and force RLS on an owner-scoped table, in one transaction, with policies derived from how the captured
 * workload reads it (src/scope/read-scopes.ts): reads keep every captured statement's rows — the member's own
 * column, rows reached through a table the member owns (a membership), and reads stay open where a statement
 * needs other members' rows (a listing, a job) or runs before sign-in; writes are limited to the owner inferred
 * from the schema (the column, or the foreign-key path to it). The index the policy needs goes first.
 */
export function rlsMigrations(scan: ScanState, table: Table, own: TableOwnership, role: string | null, ownership: ReadonlyMap<string, TableOwnership> = new Map()): Migration[] | undefined {
  const { catalog } = scan;
  const mechanism = identityMechanism(catalog);
  const me = (type: string): string => currentMember(mechanism, type);
  const t = qualified(table.schema, table.name);
  const to = role ? quoteIdent(role) : 'PUBLIC';
  const direct = own.ownerColumns[0];
  const path = own.paths[0];
  const steps: Migration[] = [];
  let ownerPredicate: string;
  let kind: string;
  let indexColumn: string;
  const tenant = (column: string): string | null => tenantPredicate(scan, ownership, table, column, t, me);
  if (direct?.kind === 'tenant') {
    // An organization's rows: the member reaches them through the membership table, never by comparing ids.
    const predicate = tenant(direct.column);
    if (!predicate) return undefined;
    ownerPredicate = predicate;
    kind = 'tenant';
    indexColumn = direct.column;
  } else if (direct) {
    ownerPredicate = `${quoteIdent(direct.column)} = ${me(columnType(table, direct.column))}`;
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
    const end = `${aliases[aliases.length - 1]}.${quoteIdent(path.ownerColumn)}`;
    let owned = `${end} = ${me(ownerType)}`;
    if (path.kind === 'tenant') {
      // The path ends at a tenant: the member must belong to it, through the membership table.
      const ownerTableRow = catalog.table(ownerSchema, ownerTable);
      const m = ownerTableRow ? tenantMembership(scan, ownership, ownerTableRow, path.ownerColumn) : null;
      if (!m) return undefined;
      owned = memberOfTenant(m, path.ownerColumn, end, me);
    }
    ownerPredicate = `EXISTS (SELECT 1 FROM ${from} WHERE ${joins.join(' AND ')} AND ${owned})`;
    kind = path.kind;
    indexColumn = path.column;
  } else {
    return undefined;
  }
  if (!hasIndexLeadingWith(catalog.indexesOf(table.schema, table.name), [indexColumn])) {
    steps.push(createIndexMigration({ schema: table.schema, table: table.name, name: objectName([table.name, indexColumn], 'idx'), keys: [quoteIdent(indexColumn)] }, `The index the row-level security policy on ${table.name}.${indexColumn} needs.`));
  }
  const reads = readScopes(scan, table, ownership);
  // Reads stay open where a captured statement needs other members' rows or runs before sign-in: no policy may
  // make a statement the app runs today return fewer rows for the member who issues it.
  const open = kind === 'author' || reads.some((r) => r.scope.kind === 'unscoped' || r.scope.kind === 'pre-auth');
  const readTerms = [...new Set([ownerPredicate, ...reads.map((r) => scopePredicate(r.scope, t, me, catalog, table, tenant)).filter((x): x is string => x !== null)])];
  const readPredicate = open ? 'true' : readTerms.length === 1 ? readTerms[0]! : readTerms.map((x) => `(${x})`).join(' OR ');
  const name = (suffix: string): string => quoteIdent(objectName([table.name, 'owner'], suffix));
  const single = readPredicate === ownerPredicate;
  const policies = single
    ? [`CREATE POLICY ${name('all')} ON ${t} FOR ALL TO ${to} USING (${ownerPredicate}) WITH CHECK (${ownerPredicate});`]
    : [
        `CREATE POLICY ${name('read')} ON ${t} FOR SELECT TO ${to} USING (${readPredicate});`,
        `CREATE POLICY ${name('insert')} ON ${t} FOR INSERT TO ${to} WITH CHECK (${ownerPredicate});`,
        `CREATE POLICY ${name('update')} ON ${t} FOR UPDATE TO ${to} USING (${ownerPredicate}) WITH CHECK (${ownerPredicate});`,
        `CREATE POLICY ${name('delete')} ON ${t} FOR DELETE TO ${to} USING (${ownerPredicate});`,
      ];
  const policyNames = single ? ['all'] : ['read', 'insert', 'update', 'delete'];
  const readWords = open ? 'every member reads (a captured statement needs other members\' rows or runs before sign-in)' : readTerms.length > 1 ? `a member reads their own rows and the rows their ${[...new Set(reads.filter((r) => r.scope.kind === 'through').map((r) => (r.scope as { via: Table }).via.name))].join(', ')} rows point at` : kind === 'tenant' ? `a member reads the rows of the tenants they belong to (${indexColumn})` : 'a member reads only their own rows';
  const writer = kind === 'tenant' ? `members of the tenant in ${indexColumn}` : `the member in ${indexColumn}`;
  const decision = `Who may read and change ${table.schema}.${table.name}? Proposed from the captured workload: ${readWords}; only ${writer} ${kind === 'tenant' ? 'change' : 'changes'} a row. Check the statements below (and the jobs and admin screens the capture may have missed): any that must see other members' rows needs its own policy or a role that bypasses RLS.`;
  const evidence = [
    `owner inferred from: ${own.ownerColumns.map((c) => `${c.column} (${c.source})`).join(', ') || own.paths.map((p) => `${p.column} → ${p.through.join(' → ')}.${p.ownerColumn}`).join(', ')}`,
    ...readEvidence(reads, open),
    ...(open && kind !== 'author' ? [`to close reads once those statements move: USING (${readTerms.join(' OR ')})`] : []),
  ];
  steps.push({
    risk: 'decision',
    decision,
    name: `enable_rls_${table.name}`,
    up: decisionTemplate(decision, evidence, inTransaction(
      [
        `Row-level security on ${table.schema}.${table.name}: ${single ? 'each member sees and changes only their rows' : `${readWords}; only the owner writes`}.`,
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
