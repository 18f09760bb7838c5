import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { confirmHint } from '../../src/model/finding.js';
import { quoteIdent } from '../../src/sql/quote.js';
import { notNullCandidates } from '../../src/integrity/candidates.js';
import { notNullRepair } from '../../src/migrate/repair.js';

export default defineAnalyzer(
  {
    id: 'missing-not-null',
    title: 'Nullable key column that holds no NULLs',
    category: 'integrity',
    defaultSeverity: 'low',
    requires: [],
    fixable: true,
    description: 'Foreign-key and owner columns that allow NULL but hold none: one bad insert creates a row that belongs to no one.',
  },
  ({ snapshot, scan, catalog }) => {
    const findings: FindingDraft[] = [];
    for (const c of notNullCandidates(scan)) {
      const check = catalog.nullCheck(c.schema, c.table, c.column);
      if (check && (check.confidence === 'failed' || check.confidence === 'timed-out')) {
        // No count, so no promise: the finding stays, unconfirmed, and carries no migration.
        findings.push({
          key: c.column,
          severity: 'low',
          message: `${c.schema}.${c.table}.${c.column} (${c.why}) allows NULL; whether any row holds one is unconfirmed: ${confirmHint(check.failure ?? (check.confidence === 'timed-out' ? 'timeout' : undefined), quoteIdent(snapshot.database.currentUser))}.`,
          object: { schema: c.schema, table: c.table, columns: [c.column] },
          evidence: { why: c.why, confidence: check.confidence, failure: check.failure ?? null },
          remediation: `Confirm there are no NULLs first; then a CHECK (… IS NOT NULL) NOT VALID, VALIDATE, SET NOT NULL and drop the check.`,
          confidence: 'unconfirmed',
        });
        continue;
      }
      if (!check || check.confidence !== 'exact' || (check.counts.rows ?? 0) === 0 || (check.counts.nulls ?? 0) > 0) continue;
      findings.push({
        key: c.column,
        severity: c.why === 'owner column' ? 'medium' : 'low',
        message: `${c.schema}.${c.table}.${c.column} (${c.why}) allows NULL but none of its ${check.counts.rows} rows has one: a single buggy insert would create a ${c.table} row that belongs to no one, invisible to every member-scoped query.`,
        object: { schema: c.schema, table: c.table, columns: [c.column] },
        evidence: { rows: check.counts.rows ?? 0, nulls: 0, why: c.why, confidence: check.confidence },
        remediation: `Make it NOT NULL: a CHECK (… IS NOT NULL) NOT VALID, VALIDATE, then SET NOT NULL (no scan) and drop the check.`,
        migrations: notNullRepair({ schema: c.schema, table: c.table }, c.column, { violations: 0, exact: true }),
        confidence: 'exact',
      });
    }
    return findings;
  },
);
