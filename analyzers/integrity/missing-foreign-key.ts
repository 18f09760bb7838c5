import { plural } from '../../src/derive/format.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { hasIndexLeadingWith } from '../../src/derive/index-match.js';
import type { Severity } from '../../src/model/severity.js';
import { foreignKeyCandidates } from '../../src/integrity/candidates.js';
import { foreignKeyRepair } from '../../src/migrate/repair.js';

/** Documented default: the share of non-NULL values that must exist in the target to call it a reference. */
export const MIN_MATCH_SHARE = 0.9;

export default defineAnalyzer(
  {
    id: 'missing-foreign-key',
    title: 'Reference without a foreign key',
    category: 'integrity',
    defaultSeverity: 'medium',
    requires: [],
    fixable: true,
    description: 'A column that references another table\'s key (by name and type, confirmed on the data) with no foreign key: orphans pile up.',
    options: {
      minMatchShare: { default: MIN_MATCH_SHARE, description: 'share of non-null values that must match a parent key for a column to count as a reference' },
    },
  },
  ({ snapshot, option, scan, catalog }) => {
    const minShare = option('minMatchShare');
    const findings: FindingDraft[] = [];
    for (const c of foreignKeyCandidates(scan)) {
      const check = catalog.foreignKeyCheck(c.schema, c.table, c.column);
      const counted = check && (check.confidence === 'exact' || check.confidence === 'sampled');
      const nonNull = counted ? check.counts.non_null ?? 0 : 0;
      const orphans = counted ? check.counts.orphans ?? 0 : 0;
      if (counted && (nonNull === 0 || (nonNull - orphans) / nonNull < minShare)) continue;
      const severity: Severity = !counted ? 'low' : orphans > 0 ? 'high' : 'medium';
      const sample = check?.confidence === 'sampled' ? ' (in a sample: an estimate)' : '';
      findings.push({
        key: c.column,
        severity,
        message: counted
          ? `${c.schema}.${c.table}.${c.column} references ${c.target.table}.${c.target.column} (${Math.round((100 * (nonNull - orphans)) / nonNull)}% of its values exist there) but has no foreign key: ${orphans > 0 ? `${plural(orphans, 'row')} already point at nothing${sample}` : 'nothing stops rows from pointing at deleted or missing rows'}.`
          : `${c.schema}.${c.table}.${c.column} looks like a reference to ${c.target.table}.${c.target.column} (by ${c.by}) but has no foreign key; the data check ${check?.confidence === 'timed-out' ? 'timed out' : 'could not run'}, so this is unconfirmed.`,
        object: { schema: c.schema, table: c.table, columns: [c.column] },
        evidence: {
          references: `${c.target.schema}.${c.target.table}.${c.target.column}`,
          inferredBy: c.by,
          rowsChecked: counted ? check.counts.rows ?? 0 : null,
          nonNull: counted ? nonNull : null,
          orphans: counted ? orphans : null,
          confidence: check?.confidence ?? 'not-checked',
        },
        remediation: `${orphans > 0 ? 'Clean up the orphans (delete them, or null the column), then add' : 'Add'} the foreign key NOT VALID and VALIDATE it in a second step, with an index on ${c.column}.`,
        migrations: foreignKeyRepair(
          { schema: c.schema, table: c.table },
          c.column,
          { schema: c.target.schema, table: c.target.table },
          c.target.column,
          c.nullable,
          !!hasIndexLeadingWith(catalog.indexesOf(c.schema, c.table), [c.column]),
          { violations: counted ? orphans : null, exact: check?.confidence === 'exact' },
        ),
      });
    }
    return findings;
  },
);
