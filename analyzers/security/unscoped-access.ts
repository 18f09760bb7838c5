import { quoteIdent } from '../../src/sql/quote.js';
import { preAuthLookup } from '../../src/scope/pre-auth.js';
import { statementFingerprint } from '../../src/sql/fingerprint.js';
import type { Table } from '../../src/model/snapshot.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { statementRef } from '../../src/derive/workload.js';
import { currentMember, identityMechanism } from '../../src/migrate/rls.js';
import { scopedForReads, scopedForWrites } from '../../src/scope/ownership.js';
import type { TableOwnership } from '../../src/scope/ownership.js';
import { rlsFor } from '../../src/scope/rls.js';
import type { StatementShape } from '../../src/sql/shape.js';

const BOUND = new Set(['param', 'const', 'list', 'subquery']);

/** Table refs of a statement that are limited to one owner: directly, or joined to a ref that is. */
function scopedRefs(shape: StatementShape, tables: readonly (Table | undefined)[], ownership: ReadonlyMap<string, TableOwnership>): Set<number> {
  const scoped = new Set<number>();
  const ownerCols = (id: number): string[] => {
    const t = tables[id];
    const o = t ? ownership.get(`${t.schema}.${t.name}`) : undefined;
    return o ? o.ownerColumns.map((c) => c.column) : [];
  };
  for (const p of shape.predicates) {
    if (p.tableId === null || p.inOr || p.expression) continue;
    if (BOUND.has(p.operand) && ['=', 'ANY', 'IN'].includes(p.op) && ownerCols(p.tableId).includes(p.column)) scoped.add(p.tableId);
  }
  // `(sender_id = $1 OR recipient_id = $1)`: every alternative ties the row to the member, so the OR scopes it.
  const alternatives = new Map<number, typeof shape.predicates[number][]>();
  for (const p of shape.predicates) if (p.tableId !== null && p.inOr) alternatives.set(p.tableId, [...(alternatives.get(p.tableId) ?? []), p]);
  for (const [id, preds] of alternatives) {
    if (preds.length >= 2 && preds.every((p) => !p.expression && BOUND.has(p.operand) && ['=', 'ANY', 'IN'].includes(p.op) && ownerCols(id).includes(p.column))) scoped.add(id);
  }
  // Joins (and IN / EXISTS / CTE links) to a scoped ref scope the other side; repeat until nothing changes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const p of shape.predicates) {
      if (p.tableId === null || p.inOr || scoped.has(p.tableId)) continue;
      const linked =
        (p.operand === 'column' && p.other?.tableId != null && scoped.has(p.other.tableId)) ||
        ((p.operand === 'subquery' || (p.operand === 'column' && p.other?.tableId == null)) && scoped.size > 0);
      if (linked) {
        scoped.add(p.tableId);
        changed = true;
      }
    }
  }
  return scoped;
}

export default defineAnalyzer(
  {
    id: 'unscoped-access',
    title: 'Unscoped access to member-owned rows',
    category: 'security',
    defaultSeverity: 'high',
    requires: ['statements'],
    fixable: false,
    description: 'A statement that reads, updates or deletes member-owned rows with no predicate on the owner, while row-level security does not apply to its role: the IDOR shape.',
  },
  ({ snapshot, workload, config, catalog, ownership }) => {
    const mechanism = identityMechanism(catalog);
    const findings: FindingDraft[] = [];
    for (const s of workload.statements) {
      if (!s.parsed.ok) continue;
      const shape = s.parsed.shape;
      if (shape.kind !== 'select' && shape.kind !== 'update' && shape.kind !== 'delete') continue;
      const scoped = scopedRefs(shape, s.tables, ownership);
      const role = s.stat.role ?? config.appRole ?? snapshot.database.currentUser;
      const reported = new Set<Table>();
      shape.tables.forEach((ref, i) => {
        const table = s.tables[i];
        if (!table || scoped.has(i) || reported.has(table)) return;
        const own = ownership.get(`${table.schema}.${table.name}`);
        const write = ref.target && (shape.kind === 'update' || shape.kind === 'delete');
        if (!(write ? scopedForWrites(own) : scopedForReads(own)) || !own) return;
        if (rlsFor(snapshot, table, role).applies) return;
        // Login by email, a token lookup: runs before anyone is signed in, so no member to scope it to (no IDOR).
        if (!write && preAuthLookup(shape, i, table, catalog)) return;
        const preds = shape.predicates.filter((p) => p.tableId === i && !p.inOr);
        const pk = catalog.primaryKey(table.schema, table.name);
        const byId = preds.some((p) => pk?.columns.length === 1 && p.column === pk.columns[0] && p.op === '=' && p.operand === 'param');
        const uniqueLookup =
          !byId &&
          preds.some((p) =>
            p.op === '=' &&
            BOUND.has(p.operand) &&
            catalog.indexesOf(table.schema, table.name).some((ix) => ix.unique && ix.valid && ix.predicate === null && ix.keyColumns.length === 1 && (ix.keyColumns[0] === p.column || (ix.keyColumns[0] === null && ix.expressions[0] === p.expression))),
          );
        let severity: Severity;
        if (write) severity = own.sensitive ? 'critical' : 'high';
        else if (byId) severity = own.sensitive ? 'high' : 'medium';
        else if (uniqueLookup) severity = 'low';
        else severity = own.sensitive ? 'medium' : 'low';
        const owner = own.ownerColumns.find((c) => c.kind !== 'author') ?? own.ownerColumns[0];
        const path = own.paths[0];
        const type = owner ? (table.columns.find((c) => c.name === owner.column)?.type ?? 'bigint') : 'bigint';
        const fix = owner
          ? `AND ${quoteIdent(ref.alias ?? table.name)}.${quoteIdent(owner.column)} = ${currentMember(mechanism, type)}`
          : path
            ? `a join through ${path.column} → ${path.through.join(' → ')} with ${path.ownerColumn} = <current member>`
            : 'an owner predicate';
        const what = write ? (shape.kind === 'update' ? 'updates' : 'deletes') : 'reads';
        reported.add(table);
        findings.push({
          key: s.parsed.ok ? s.parsed.identity : statementFingerprint(s.stat.query),
          severity,
          message: byId
            ? `This statement ${what} ${table.schema}.${table.name} by id alone (the IDOR shape): any member who knows or guesses an id ${write ? 'changes' : 'reads'} another member's ${own.sensitive ? 'personal or payment ' : ''}row. Row-level security does not apply to role "${role}".`
            : `This statement ${what} ${table.schema}.${table.name} with no predicate on its owner (${owner?.column ?? path?.column ?? '?'}): it ${write ? 'changes' : 'returns'} rows of every member${uniqueLookup ? ' that match a unique key (fine for a lookup before sign-in, e.g. login by email; an IDOR otherwise)' : ''}. Row-level security does not apply to role "${role}".`,
          object: { schema: table.schema, table: table.name, columns: owner ? [owner.column] : path ? [path.column] : [] },
          statements: [statementRef(s.stat)],
          evidence: {
            shape: byId ? 'id-only' : uniqueLookup ? 'unique-key-lookup' : write ? 'unscoped-write' : 'unscoped-list',
            kind: shape.kind,
            role,
            rlsEnabled: table.rlsEnabled,
            ownerColumns: own.ownerColumns.map((c) => c.column),
            ownerPath: path ? [path.column, ...path.through, path.ownerColumn] : [],
            sensitive: own.sensitive,
            calls: s.stat.calls,
          },
          remediation: `Add ${fix} to the WHERE clause (from the signed-in member, never from the request), or enable row-level security for ${table.name} so the database enforces it.`,
        });
      });
    }
    return findings;
  },
);
