import { plural } from '../../src/derive/format.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { foreignKeyCandidates, uniqueCandidates } from '../../src/integrity/candidates.js';
import type { ForeignKeyCandidate } from '../../src/integrity/candidates.js';
import { uniqueRepair } from '../../src/migrate/repair.js';
import { hasIndexLeadingWith } from '../../src/derive/index-match.js';

const WHAT = {
  email: 'an email that signs a member in',
  slug: 'a slug used in URLs',
  token: 'a token looked up by value',
  'external-id': 'an external id (payment provider, import)',
  pair: 'a membership pair',
} as const;

export default defineAnalyzer(
  {
    id: 'missing-unique',
    title: 'Natural key without a unique constraint',
    category: 'integrity',
    defaultSeverity: 'medium',
    requires: [],
    fixable: true,
    description: 'Emails (case-insensitive), slugs, tokens, external ids and membership pairs with no unique constraint: duplicates already in the data are counted.',
  },
  ({ snapshot, scan, catalog }) => {
    // Inferred references by the table and column they point at, so each candidate reads its own.
    const inferred = new Map<string, ForeignKeyCandidate[]>();
    for (const f of foreignKeyCandidates(scan)) {
      const k = `${f.target.schema}\u0000${f.target.table}\u0000${f.target.column}`;
      const list = inferred.get(k);
      if (list) list.push(f);
      else inferred.set(k, [f]);
    }
    const findings: FindingDraft[] = [];
    for (const c of uniqueCandidates(scan)) {
      const check = catalog.uniqueCheck(c.schema, c.table, c.keys);
      const counted = check && (check.confidence === 'exact' || check.confidence === 'sampled');
      const groups = counted ? check.counts.groups ?? 0 : 0;
      const rows = counted ? check.counts.rows ?? 0 : 0;
      const severity: Severity = groups > 0 ? 'high' : c.kind === 'pair' || c.kind === 'email' ? 'medium' : 'low';
      const pk = catalog.primaryKey(c.schema, c.table);
      const pkColumn = pk && pk.columns.length === 1 ? pk.columns[0]! : null;
      // Declared foreign keys, and the references missing-foreign-key infers (their constraint may be added first).
      const referencing = pkColumn
        ? [
            ...catalog.referencing(c.schema, c.table).filter((f) => f.columns.length === 1 && f.references?.columns[0] === pkColumn).map((f) => ({ schema: f.schema, table: f.table, column: f.columns[0]! })),
            ...(inferred.get(`${c.schema}\u0000${c.table}\u0000${pkColumn}`) ?? []).map((f) => ({ schema: f.schema, table: f.table, column: f.column })),
          ]
        : [];
      const keys = c.keys.join(', ');
      const withIndex = referencing.map((r) => ({ ...r, indexed: !!hasIndexLeadingWith(catalog.indexesOf(r.schema, r.table), [r.column]) }));
      // Planner estimates (reltuples): -1 or missing means never analyzed, and no estimate is given.
      const estimate = (schema: string, table: string): number | null => {
        const n = catalog.table(schema, table)?.rowEstimate;
        return n === undefined || n < 0 ? null : n;
      };
      const sizes = {
        rows: estimate(c.schema, c.table),
        referencingRows: withIndex.reduce((sum, r) => sum + (estimate(r.schema, r.table) ?? 0), 0),
        duplicateRows: counted ? rows : null,
      };
      findings.push({
        key: c.keys.join(','),
        severity,
        message: `${c.schema}.${c.table}(${keys}) is ${WHAT[c.kind]} but nothing enforces one row per value${c.weaker ? ` (the unique index ${c.weaker} is case-sensitive: Ann@x.io and ann@x.io both get in)` : ''}: ${counted ? (groups > 0 ? `${plural(groups, 'duplicate group')}, ${plural(rows, 'row')}, are already there${check.confidence === 'sampled' ? ' (in a sample: an estimate)' : ''}` : 'no duplicates yet') : `the duplicate count ${check?.confidence === 'timed-out' ? 'timed out' : 'was not run'}`}.`,
        object: { schema: c.schema, table: c.table, columns: [...c.columns], ...(c.keys.some((k) => k.includes('(')) ? { expression: keys } : {}) },
        evidence: { kind: c.kind, keys: [...c.keys], duplicateGroups: counted ? groups : null, duplicateRows: counted ? rows : null, confidence: check?.confidence ?? 'not-checked', weakerIndex: c.weaker },
        remediation: `${groups > 0 ? `Merge the duplicates (keep the most referenced row, repoint references), then c` : 'C'}reate a unique index on (${keys}) concurrently${c.keys.every((k) => !k.includes('(')) ? ' and attach it as a constraint' : ''}.`,
        migrations: uniqueRepair({ schema: c.schema, table: c.table }, c.keys, c.keyParts, c.columns, pkColumn, withIndex, { violations: counted ? groups : null, exact: check?.confidence === 'exact' }, catalog.table(c.schema, c.table)?.columns ?? [], sizes),
      });
    }
    return findings;
  },
);
