import { plural } from '../../src/derive/format.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { hasIndexLeadingWith } from '../../src/derive/index-match.js';
import type { Severity } from '../../src/model/severity.js';
import { shapeOf, statementRef } from '../../src/derive/workload.js';
import { createIndexMigration, renderIndexKeys } from '../../src/migrate/recipes.js';
import { objectName } from '../../src/sql/quote.js';

/** Documented defaults (docs/rules/unindexed-foreign-key.md). */
export const UNINDEXED_FK_DEFAULTS = { smallTableRows: 1_000, largeTableRows: 100_000 };

export default defineAnalyzer(
  {
    id: 'unindexed-foreign-key',
    title: 'Foreign key without an index',
    category: 'performance',
    defaultSeverity: 'medium',
    requires: [],
    fixable: true,
    description: 'A foreign key whose columns do not lead any valid index: parent deletes scan the child, per-parent lookups scan it too.',
    options: {
      smallTableRows: { default: UNINDEXED_FK_DEFAULTS.smallTableRows, description: 'below this many child rows the finding is info' },
      largeTableRows: { default: UNINDEXED_FK_DEFAULTS.largeTableRows, description: 'from this many child rows the finding is high (when filtered or the parent changes)' },
    },
  },
  ({ snapshot, workload, option, scan, catalog }) => {
    const small = option('smallTableRows');
    const large = option('largeTableRows');
    const findings: FindingDraft[] = [];
    for (const fk of snapshot.constraints) {
      if (fk.type !== 'foreign' || !fk.references) continue;
      if (hasIndexLeadingWith(catalog.indexesOf(fk.schema, fk.table), fk.columns)) continue;
      const child = catalog.table(fk.schema, fk.table);
      if (!child) continue;
      const parent = catalog.table(fk.references.schema, fk.references.table);
      const parentWrites = parent ? parent.stats.nTupDel + parent.stats.nTupUpd : 0;
      const filtering = workload.onTable(fk.schema, fk.table).filter((s) => {
        const shape = shapeOf(s);
        if (!shape) return false;
        return shape.predicates.some((p) => p.tableId !== null && s.tables[p.tableId] === child && fk.columns.includes(p.column) && !p.inOr);
      });
      const rows = child.rowEstimate;
      let severity: Severity;
      // The documented table (docs/rules/unindexed-foreign-key.md): filtering statements or parent deletes and
      // key updates raise it one step, at every size above the small-table floor.
      const used = filtering.length > 0 || parentWrites > 0;
      if (rows < small) severity = 'info';
      else if (rows >= large) severity = used ? 'high' : 'medium';
      else severity = used ? 'medium' : 'low';
      const cols = fk.columns.join(', ');
      const indexName = objectName([fk.table, ...fk.columns], 'idx');
      const filteringMs = filtering.reduce((sum, s) => sum + s.stat.totalMs, 0);
      findings.push({
        key: fk.columns.join(','),
        severity,
        message: `${fk.schema}.${fk.table}(${cols}) references ${fk.references.schema}.${fk.references.table} but no index leads with ${cols}: every delete or key update on ${fk.references.table} scans ${fk.table} (~${rows} rows)${filtering.length > 0 ? `, and ${plural(filtering.length, 'statement')} filtering on it scan too` : ''}.`,
        object: { schema: fk.schema, table: fk.table, columns: fk.columns, constraint: fk.name },
        statements: filtering.slice(0, 5).map((s) => statementRef(s.stat)),
        evidence: {
          tableRows: rows,
          tableBytes: child.totalBytes,
          referencedTable: `${fk.references.schema}.${fk.references.table}`,
          onDelete: fk.references.onDelete,
          parentDeletesAndUpdates: parentWrites,
          filteringStatements: filtering.length,
          filteringTotalMs: Math.round(filteringMs),
        },
        remediation: `Create an index on ${fk.table}(${cols}) concurrently.`,
        migrations: [
          createIndexMigration(
            { schema: fk.schema, table: fk.table, name: indexName, keys: renderIndexKeys(fk.columns) },
            `Index the foreign key ${fk.name} on ${fk.schema}.${fk.table}(${cols}).`,
          ),
        ],
      });
    }
    return findings;
  },
);
