import { tableForKeyColumn } from '../../src/scope/vocabulary.js';
import { qualified, quoteIdent } from '../../src/sql/quote.js';
import { snakeName } from '../../src/sql/identifier.js';
import { plural } from '../../src/derive/format.js';
import type { Table } from '../../src/model/snapshot.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { findingId } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { round, statementRef } from '../../src/derive/workload.js';
import { findPerRowLookups, NPLUS1_DEFAULTS, singleKeyList } from '../../src/nplus1/per-row-lookups.js';
import { lookupKey } from '../../src/nplus1/lookup-key.js';
import { ORM_NAMES, ormStyle } from '../../src/nplus1/orm-style.js';
import type { OrmStyle } from '../../src/nplus1/orm-style.js';
import type { PointLookup } from '../../src/nplus1/per-row-lookups.js';
import { formatMs } from '../../src/derive/format.js';
import { analyzeStatement } from '../../src/sql/analyze.js';
import { statementsAge } from '../../src/derive/units.js';
import type { Catalog } from '../../src/derive/catalog.js';

/**
 * How each ORM loads the relation in one query, named after it: a has-many lookup (comments of a post) is the
 * child table's relation; a lookup of the row a foreign key points at (the author of a post) is named after the
 * key without its _id.
 */
export function ormHints(relation: string, column: string, aggregate: boolean, hasMany: boolean, orm: OrmStyle | null = null): string {
  const count = aggregate && hasMany;
  const hints: Record<OrmStyle, string> = {
    prisma: `Prisma: ${count ? `include: { _count: { select: { ${relation}: true } } }` : `include: { ${relation}: true }`}`,
    drizzle: `Drizzle: with: { ${relation}: true } (relational query), or one select with inArray(…, ids)`,
    sequelize: `Sequelize: include: [{ association: '${relation}' }], or one findAll with where: { ${column}: ids }`,
    typeorm: `TypeORM: relations: { ${relation}: true } (or a leftJoinAndSelect), or one find with In(ids)`,
    'knex-kysely': `Knex / Kysely: one query with whereIn('${column}', ids) / where('${column}', 'in', ids), grouped in memory`,
    activerecord: `ActiveRecord: includes(:${relation})${count ? ' (counter_cache for counts)' : ''}`,
  };
  // The library that wrote the loop, when its SQL says so: only its option.
  if (orm) return `${ORM_NAMES[orm]} (recognized from its SQL): ${hints[orm].replace(/^[^:]+: /, '')}.`;
  return `${Object.values(hints).join('; ')}.`;
}

/**
 * The relation an ORM would name for the looked-up rows: the child table for a has-many lookup (comments of a
 * post); for the row a list's foreign key points at, that key without _id (posts.author_id → author).
 */
function relationOf(catalog: Catalog, parentTables: readonly (Table | undefined)[], child: PointLookup): string {
  const t = child.table;
  if (child.kind === 'children-of-row') return t.name;
  for (const parent of parentTables) {
    if (!parent) continue;
    const fk = catalog.foreignKeysOf(parent.schema, parent.name).find((f) => f.columns.length === 1 && f.references?.schema === t.schema && f.references.table === t.name);
    const column = fk?.columns[0] ?? parent.columns.find((c) => tableForKeyColumn(catalog, parent, c.name) === t)?.name;
    if (column) return snakeName(column).replace(/_id$/, '');
  }
  return t.name;
}

/** The one query that replaces the loop, as SQL that runs as written (names quoted exactly when needed). */
export function batchedShape(schema: string, table: string, column: string, aggregate: boolean): string {
  const t = qualified(schema, table);
  const c = quoteIdent(column);
  return aggregate ? `SELECT ${c}, count(*) FROM ${t} WHERE ${c} = ANY($1) GROUP BY ${c}` : `SELECT * FROM ${t} WHERE ${c} = ANY($1)`;
}

function severityFor(share: number): Severity {
  return share >= 0.1 ? 'high' : share >= 0.01 ? 'medium' : 'low';
}

/** The table a normalized statement reads (its only base table), resolved in the catalog. */
function mainTable(catalog: Catalog, query: string): { table: Table | undefined; column: string | null } {
  const parsed = analyzeStatement(query);
  if (!parsed.ok) return { table: undefined, column: null };
  const tables = parsed.shape.tables.map((t) => catalog.resolveTable(t.schema, t.name));
  // The table the lookup fetches, also when it binds the key through a joined owner (not the owner's table).
  const key = lookupKey(catalog, parsed.shape, tables, singleKeyList(parsed.shape, query));
  if (key) return { table: key.table, column: key.column };
  const first = parsed.shape.predicates.find((p) => p.op === '=' && p.operand === 'param' && p.tableId !== null);
  return { table: tables[first?.tableId ?? 0] ?? tables[0], column: first?.column ?? null };
}

export default defineAnalyzer(
  {
    id: 'n-plus-one',
    title: 'N+1 queries',
    category: 'performance',
    defaultSeverity: 'medium',
    requires: [],
    fixable: false,
    description: 'A list query followed by one query per returned row: found from pg_stat_statements call and row counts, and exactly from PostgreSQL logs.',
    options: {
      minChildCalls: { default: NPLUS1_DEFAULTS.minChildCalls, description: 'fewest calls of the per-row lookup' },
      minRatio: { default: NPLUS1_DEFAULTS.minRatio, description: 'lowest lookup calls per listed row' },
      maxRatio: { default: NPLUS1_DEFAULTS.maxRatio, description: 'highest lookup calls per listed row' },
      minCallsPerParentCall: { default: NPLUS1_DEFAULTS.minCallsPerParentCall, description: 'fewest lookups per run of the list query' },
      maxRowsPerCall: { default: NPLUS1_DEFAULTS.maxRowsPerCall, description: 'most rows a per-row lookup by key (the row a foreign key points at) returns per call' },
      maxChildrenPerCall: { default: NPLUS1_DEFAULTS.maxChildrenPerCall, description: 'most rows a per-row lookup of children (a lazy has-many: the comments of a post) returns per call' },
      minParentRowsPerCall: { default: NPLUS1_DEFAULTS.minParentRowsPerCall, description: 'fewest rows per call of the list query' },
    },
  },
  ({ snapshot, workload, option, now, scan, catalog }) => {
    const findings = new Map<string, FindingDraft>();
    const totalMs = Math.max(workload.totalMs, 1e-9);
    const ageDays = snapshot.database.statementsResetAt || snapshot.database.statsResetAt ? statementsAge(snapshot, now) : null;
    const young = ageDays !== null && ageDays < 1 ? ` Statistics cover only ${formatMs(ageDays * 86_400_000)}: counts are from that window.` : '';

    if (snapshot.capabilities.pgStatStatements) {
      const o: Partial<typeof NPLUS1_DEFAULTS> = {};
      for (const k of Object.keys(NPLUS1_DEFAULTS) as (keyof typeof NPLUS1_DEFAULTS)[]) o[k] = option(k);
      for (const match of findPerRowLookups(scan, o)) {
        const child: PointLookup = match.child;
        const c = child.statement;
        const t = child.table;
        const id = findingId('n-plus-one', { schema: t.schema, table: t.name }, c.fingerprint);
        findings.set(id, {
          id,
          severity: severityFor(c.totalMs / totalMs),
          message: `For each row of a list on ${match.parent.tables.find((x) => x && child.drivers.includes(x))?.name ?? 'its parent'}, the app runs one more query on ${t.name} (${child.column} = $1): ${c.calls} calls for ${match.parent.rows} rows listed (ratio ${match.ratio.toFixed(2)}, ${match.callsPerParentCall.toFixed(1)} per list), ${formatMs(c.totalMs)} in total.${young}`,
          object: { schema: t.schema, table: t.name, columns: [child.column] },
          statements: [statementRef(match.parent.representative), ...c.members.map(statementRef)],
          evidence: {
            source: 'pg_stat_statements',
            childCalls: c.calls,
            childRows: c.rows,
            childTotalMs: round(c.totalMs, 1),
            parentCalls: match.parent.calls,
            parentRows: match.parent.rows,
            ratio: round(match.ratio, 3),
            callsPerParentCall: round(match.callsPerParentCall, 2),
            linkedBy: match.linkedBy,
            lookup: child.kind,
            mergedEntries: c.members.length,
            statsAgeDays: ageDays === null ? null : round(ageDays, 3),
          },
          remediation: `Load them in one query: ${batchedShape(t.schema, t.name, child.column, child.aggregate)} (an array of the listed keys as $1), or join/aggregate per parent row. ${ormHints(relationOf(catalog, match.parent.tables, child), child.column, child.aggregate, child.kind === 'children-of-row', ormStyle(c.representative.query))}`,
        });
      }
    }

    for (const run of snapshot.logs?.runs ?? []) {
      const { table, column } = mainTable(catalog, run.childQuery);
      // A run on a table this database does not have came from another database on the server (a log without
      // %d): not a finding here.
      if (!table) continue;
      const schema = table.schema;
      const name = table.name;
      const id = findingId('n-plus-one', { schema, table: name }, run.childFingerprint);
      const prior = findings.get(id);
      findings.set(id, {
        id,
        severity: run.childTotalMs >= 50 || (prior && prior.severity !== 'low') ? (prior?.severity === 'high' ? 'high' : 'medium') : 'low',
        message: `The logs show it exactly: ${plural(run.runs, 'time')} a statement was followed by a run of the same query with different parameters (${run.childExecutions} executions, longest run ${run.longestRun}, ${formatMs(run.childTotalMs)}) in ${plural(run.sessions, 'session')}.${prior ? ` ${prior.message}` : ''}`,
        object: { schema, table: name, ...(column ? { columns: [column] } : {}) },
        statements: prior?.statements ?? [],
        evidence: {
          ...(prior?.evidence ?? {}),
          source: prior ? 'pg_stat_statements+log' : 'log',
          logRuns: run.runs,
          logChildExecutions: run.childExecutions,
          logLongestRun: run.longestRun,
          logChildTotalMs: run.childTotalMs,
          logSessions: run.sessions,
          exampleSequence: [run.parentQuery, `${run.childQuery}  × ${run.longestRun}`],
        },
        remediation: prior?.remediation ?? `Load them in one query: ${batchedShape(schema, name, column ?? 'id', false)} (an array of the keys as $1), or a join. ${ormHints(name, column ?? 'id', false, column !== null && column !== 'id', ormStyle(run.childQuery))}`,
      });
    }
    return [...findings.values()];
  },
);

