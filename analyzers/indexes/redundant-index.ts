import type { Index } from '../../src/model/snapshot.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { enforcesConstraint, indexKeyLabel, indexKeys } from '../../src/derive/index-keys.js';
import { formatBytes } from '../../src/derive/units.js';
import { dropIndexMigration } from '../../src/migrate/recipes.js';

/** `covering` serves every lookup `index` serves: same method, its keys start with all of `index`'s keys. */
function covers(covering: Index, index: Index): boolean {
  if (covering === index || !covering.valid || covering.method !== 'btree' || index.method !== 'btree') return false;
  // Predicates must be compatible: the covering index sees at least the rows the other one does.
  if (covering.predicate !== null && covering.predicate !== index.predicate) return false;
  if (index.predicate !== null && covering.predicate === null) return false;
  const small = indexKeys(index);
  const big = indexKeys(covering);
  if (small.length >= big.length) return false;
  return small.every((key, i) => key === big[i]);
}

export default defineAnalyzer(
  {
    id: 'redundant-index',
    title: 'Redundant index',
    category: 'performance',
    defaultSeverity: 'low',
    requires: [],
    fixable: true,
    description: 'An index whose keys are a leading prefix of another valid index on the same table: the longer one serves its lookups.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    const byTable = new Map<string, Index[]>();
    for (const i of snapshot.indexes) byTable.set(`${i.schema}.${i.table}`, [...(byTable.get(`${i.schema}.${i.table}`) ?? []), i]);
    for (const indexes of byTable.values()) {
      for (const index of indexes) {
        // Not read because another session locked its table (see the relation-locked warning): no claim, no drop.
        if (index.definition === '') continue;
        if (!index.valid || enforcesConstraint(index) || index.includeColumns.length > 0) continue;
        const covering = indexes.filter((other) => covers(other, index)).sort((a, b) => a.bytes - b.bytes)[0];
        if (!covering) continue;
        findings.push({
          key: index.name,
          severity: index.bytes >= 100 * 1024 * 1024 ? 'medium' : 'low',
          message: `${index.schema}.${index.name} on ${index.table}(${indexKeyLabel(index)}) is a prefix of ${covering.name} (${indexKeyLabel(covering)}): the longer index serves the same lookups, and this one costs ${formatBytes(index.bytes)} and every write.`,
          object: { schema: index.schema, table: index.table, index: index.name, columns: index.keyColumns.filter((c): c is string => c !== null) },
          evidence: {
            coveredBy: covering.name,
            coveringDefinition: covering.definition,
            indexBytes: index.bytes,
            coveringIndexBytes: covering.bytes,
            scans: index.scans,
            coveringIndexScans: covering.scans,
          },
          remediation: `Check that no plan depends on ${index.name} being smaller (EXPLAIN the statements that use it), then drop it concurrently.`,
          migrations: [dropIndexMigration(index.schema, index.name, index.definition, `Drop ${index.name}: ${covering.name} leads with the same keys. Check plans first.`)],
        });
      }
    }
    return findings;
  },
);
