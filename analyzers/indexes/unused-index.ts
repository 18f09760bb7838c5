import { plural } from '../../src/derive/format.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { enforcesConstraint, indexKeyLabel } from '../../src/derive/index-keys.js';
import type { Severity } from '../../src/model/severity.js';
import { formatBytes, statsAge } from '../../src/derive/units.js';
import { dropIndexMigration } from '../../src/migrate/recipes.js';
import { leadsWith } from '../../src/derive/index-match.js';
import type { Index } from '../../src/model/snapshot.js';
import type { Catalog } from '../../src/derive/catalog.js';

/**
 * The only index a foreign key's checks can use: a DELETE or key UPDATE on the parent scans the child table through
 * it, which idx_scan counts only when it happens. Dropping it is the unindexed-foreign-key finding, so it is kept.
 */
function onlyForeignKeyIndex(catalog: Catalog, index: Index): boolean {
  const others = catalog.indexesOf(index.schema, index.table).filter((i) => i !== index && i.valid);
  return catalog.foreignKeysOf(index.schema, index.table).some((fk) => leadsWith(index, fk.columns) && !others.some((o) => leadsWith(o, fk.columns)));
}

/** Documented defaults (docs/rules/unused-index.md). */
export const UNUSED_INDEX_DEFAULTS = { maxScans: 5, minBytes: 1024 * 1024, minStatsDays: 7, largeBytes: 100 * 1024 * 1024 };

export default defineAnalyzer(
  {
    id: 'unused-index',
    title: 'Unused index',
    category: 'performance',
    defaultSeverity: 'low',
    requires: [],
    fixable: true,
    description: 'An index with (almost) no scans since the statistics reset, above a size floor, enforcing nothing and not the only index a foreign key can use: pure write and storage cost.',
    options: {
      maxScans: { default: UNUSED_INDEX_DEFAULTS.maxScans, description: 'at most this many scans since the statistics reset counts as unused' },
      minBytes: { default: UNUSED_INDEX_DEFAULTS.minBytes, description: 'smaller indexes are not reported' },
      minStatsDays: { default: UNUSED_INDEX_DEFAULTS.minStatsDays, description: 'statistics younger than this many days lower the severity to info' },
    },
  },
  ({ snapshot, option, now, catalog }) => {
    const maxScans = option('maxScans');
    const minBytes = option('minBytes');
    const minDays = option('minStatsDays');
    const age = statsAge(snapshot, now);
    const ageText = age.since ? `${age.days.toFixed(1)} days (since ${age.since}${age.source === 'server-start' ? ', server start' : ''})` : 'an unknown time';
    const findings: FindingDraft[] = [];
    for (const index of snapshot.indexes) {
      // Not read because another session locked its table (see the relation-locked warning): no claim, no drop.
      if (index.definition === '') continue;
      if (!index.valid || enforcesConstraint(index) || index.scans > maxScans || index.bytes < minBytes) continue;
      if (onlyForeignKeyIndex(catalog, index)) continue;
      let severity: Severity = index.bytes >= UNUSED_INDEX_DEFAULTS.largeBytes ? 'medium' : 'low';
      if (age.days < minDays) severity = 'info';
      findings.push({
        key: index.name,
        severity,
        message: `${index.schema}.${index.name} on ${index.table}(${indexKeyLabel(index)}) was scanned ${plural(index.scans, 'time')} in ${ageText}, yet costs ${formatBytes(index.bytes)} and slows every write.${age.days < minDays ? ` Statistics are younger than ${minDays} days: watch a full business cycle before dropping.` : ''}`,
        object: { schema: index.schema, table: index.table, index: index.name },
        evidence: {
          scans: index.scans,
          indexBytes: index.bytes,
          statsAgeDays: Math.round(age.days * 10) / 10,
          statsSince: age.since,
          statsSource: age.source,
        },
        remediation: `Confirm ${index.name} is unused on every replica and through a full business cycle (month-end jobs), then drop it concurrently; the down migration rebuilds it.`,
        migrations: [dropIndexMigration(index.schema, index.name, index.definition, `Drop ${index.name}: ${index.scans} scans in ${ageText}.`, true)],
      });
    }
    return findings;
  },
);
