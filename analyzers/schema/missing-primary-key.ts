import type { Index, Table } from '../../src/model/snapshot.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft, Migration } from '../../src/model/finding.js';
import { addPrimaryKeyFromColumnMigrations, addPrimaryKeyUsingIndexMigration } from '../../src/migrate/primary-key.js';

/** A unique, valid, full, column-only index over NOT NULL columns: it can become the primary key as is. */
function candidate(table: Table, indexes: readonly Index[]): Index | undefined {
  return indexes
    .filter((i) => i.unique && i.valid && i.predicate === null && i.method === 'btree' && i.keyColumns.every((c) => c !== null) && i.includeColumns.length === 0)
    .filter((i) => i.keyColumns.every((c) => table.columns.find((col) => col.name === c)?.notNull))
    .sort((a, b) => a.keyColumns.length - b.keyColumns.length || a.bytes - b.bytes)[0];
}

export default defineAnalyzer(
  {
    id: 'missing-primary-key',
    title: 'Table without a primary key',
    category: 'integrity',
    defaultSeverity: 'medium',
    requires: [],
    fixable: true,
    description: 'A table with no primary key: duplicates cannot be told apart, ORMs and logical replication cannot address rows.',
  },
  ({ snapshot, catalog }) => {
    const findings: FindingDraft[] = [];
    for (const table of snapshot.tables) {
      if (table.isPartition || catalog.primaryKey(table.schema, table.name)) continue;
      const unique = candidate(table, catalog.indexesOf(table.schema, table.name));
      const idColumn = table.columns.find((c) => c.name === 'id');
      let migrations: Migration[] | undefined;
      let remediation: string;
      if (unique && table.kind === 'table') {
        migrations = addPrimaryKeyUsingIndexMigration(table, unique);
        remediation = `Promote the unique index ${unique.name} (${unique.keyColumns.join(', ')}, all NOT NULL) to the primary key.`;
      } else if (table.kind === 'table') {
        migrations = addPrimaryKeyFromColumnMigrations(table, idColumn);
        remediation = idColumn
          ? `Make ${table.name}.id the primary key: a unique index built concurrently, a validated NOT NULL check, then the constraint.`
          : `Add a bigint identity column "id", backfill it in batches, and make it the primary key.`;
      } else {
        remediation = `Add a primary key that includes the partition key on ${table.name}; Postgres builds it on every partition.`;
      }
      findings.push({
        severity: table.rowEstimate >= 10_000 ? 'high' : 'medium',
        message: `${table.schema}.${table.name} (~${table.rowEstimate} rows) has no primary key: duplicate rows cannot be told apart or cleaned up, ORMs cannot update one row safely, and logical replication cannot replicate its updates and deletes.`,
        object: { schema: table.schema, table: table.name, ...(unique ? { columns: unique.keyColumns as string[], index: unique.name } : {}) },
        evidence: { rowEstimate: table.rowEstimate, tableBytes: table.totalBytes, candidateIndex: unique?.name ?? null, partitioned: table.kind === 'partitioned' },
        remediation,
        migrations,
      });
    }
    return findings;
  },
);
