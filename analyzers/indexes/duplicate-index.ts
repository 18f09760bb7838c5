import type { Index } from '../../src/model/snapshot.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { enforcesConstraint, indexKeyLabel, indexKeys } from '../../src/derive/index-keys.js';
import { formatBytes } from '../../src/derive/units.js';
import { dropIndexMigration } from '../../src/migrate/recipes.js';
import { compareText } from '../../src/model/order.js';

/** Same method, keys (columns or expressions, with opclass, collation, order), INCLUDE and predicate. */
function signature(index: Index): string {
  return JSON.stringify([index.method, indexKeys(index), index.includeColumns, index.predicate]);
}

/** Which of the identical indexes to keep: the one backing a constraint, else unique, else the most used. */
function keepOrder(a: Index, b: Index): number {
  return (
    Number(b.constraint !== null) - Number(a.constraint !== null) ||
    Number(b.primary) - Number(a.primary) ||
    Number(b.unique) - Number(a.unique) ||
    b.scans - a.scans ||
    compareText(a.name, b.name)
  );
}

export default defineAnalyzer(
  {
    id: 'duplicate-index',
    title: 'Duplicate index',
    category: 'performance',
    defaultSeverity: 'medium',
    requires: [],
    fixable: true,
    description: 'Two or more valid indexes with identical keys, method, INCLUDE and predicate: every write pays for each copy.',
  },
  ({ snapshot }) => {
    const groups = new Map<string, Index[]>();
    for (const index of snapshot.indexes) {
      // Not read because another session locked its table (see the relation-locked warning): no claim, no drop.
      if (index.definition === '') continue;
      if (!index.valid) continue;
      const key = `${index.schema}.${index.table}:${signature(index)}`;
      groups.set(key, [...(groups.get(key) ?? []), index]);
    }
    const findings: FindingDraft[] = [];
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      const [keep, ...extras] = [...group].sort(keepOrder);
      for (const extra of extras) {
        if (!keep) continue;
        // A unique extra is only droppable when the kept one is unique too (uniqueness must stay enforced).
        const droppable = extra.constraint === null && !extra.primary && (!extra.unique || keep.unique);
        const wasted = extra.bytes;
        findings.push({
          key: extra.name,
          severity: wasted >= 100 * 1024 * 1024 ? 'high' : 'medium',
          message: `${extra.schema}.${extra.name} duplicates ${keep.name} on ${extra.table}(${indexKeyLabel(extra)}): every insert and update writes both, and the copy wastes ${formatBytes(wasted)}.`,
          object: { schema: extra.schema, table: extra.table, index: extra.name, columns: extra.keyColumns.filter((c): c is string => c !== null) },
          evidence: {
            duplicateOf: keep.name,
            indexBytes: extra.bytes,
            keptIndexBytes: keep.bytes,
            scans: extra.scans,
            keptIndexScans: keep.scans,
            keptBacksConstraint: keep.constraint,
            extraBacksConstraint: extra.constraint,
          },
          remediation: droppable
            ? `Drop ${extra.name} concurrently; ${keep.name} serves the same lookups${keep.constraint ? ` and backs constraint ${keep.constraint}` : ''}.`
            : `${extra.name} backs constraint ${extra.constraint ?? '(unique)'}: drop the constraint that duplicates the other one, then the index goes with it.`,
          migrations: droppable ? [dropIndexMigration(extra.schema, extra.name, extra.definition, `Drop ${extra.name}: an exact duplicate of ${keep.name}.`)] : undefined,
        });
      }
    }
    return findings;
  },
);
