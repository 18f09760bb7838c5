import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { formatBytes } from '../../src/derive/units.js';
import { dropIndexMigration, recreateIndexMigration } from '../../src/migrate/recipes.js';

export default defineAnalyzer(
  {
    id: 'invalid-index',
    title: 'Invalid index',
    category: 'performance',
    defaultSeverity: 'high',
    requires: [],
    fixable: true,
    description: 'An index left INVALID by a failed concurrent build: never used by queries, still updated on every write.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    for (const index of snapshot.indexes) {
      // Not read because another session locked its table (see the relation-locked warning): no claim, no drop.
      if (index.definition === '') continue;
      if (index.valid) continue;
      findings.push({
        key: index.name,
        severity: 'high',
        message: `${index.schema}.${index.name} on ${index.table} is INVALID (a failed CREATE INDEX CONCURRENTLY): queries never use it, yet every write still maintains it (${formatBytes(index.bytes)})${index.unique ? ', and the uniqueness it was meant to enforce is not guaranteed' : ''}. Unless a concurrent build is running right now, rebuild it.`,
        object: { schema: index.schema, table: index.table, index: index.name },
        evidence: { indexBytes: index.bytes, definition: index.definition, unique: index.unique },
        remediation: `Drop ${index.name} concurrently, then create it again concurrently (after fixing what made the build fail, e.g. duplicates for a unique index).`,
        migrations: [
          {
            ...dropIndexMigration(index.schema, index.name, index.definition, `Drop the INVALID index ${index.name} (a failed concurrent build).`),
            // The down of dropping an invalid index is not rebuilding it (the next file does that).
            down: `-- Nothing to restore: the index was INVALID and unused.\nSELECT 1;\n`,
          },
          recreateIndexMigration(index.schema, index.name, index.definition, `Build ${index.name} again, concurrently.`),
        ],
      });
    }
    return findings;
  },
);
