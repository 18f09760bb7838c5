import { plural } from '../../src/derive/format.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { confirmHint } from '../../src/model/finding.js';
import { quoteIdent, quoteLiteral } from '../../src/sql/quote.js';
import { checkCandidates } from '../../src/integrity/candidates.js';
import { checkRepair } from '../../src/migrate/repair.js';

export default defineAnalyzer(
  {
    id: 'missing-check',
    title: 'Enum-like column without a CHECK',
    category: 'integrity',
    defaultSeverity: 'low',
    requires: [],
    fixable: true,
    description: 'Text columns like status, role or interval with a handful of values and no CHECK or enum type: a typo becomes a state no code handles.',
  },
  ({ snapshot, scan, catalog }) => {
    const findings: FindingDraft[] = [];
    const role = quoteIdent(snapshot.database.currentUser);
    for (const c of checkCandidates(scan)) {
      const seen = catalog.valueCheck(c.schema, c.table, c.column);
      if (!seen) continue;
      const base = {
        key: c.column,
        object: { schema: c.schema, table: c.table, columns: [c.column] },
      };
      if (seen.failure) {
        if (c.distinct === null) continue; // neither statistics nor data: nothing but a name to go on
        findings.push({
          ...base,
          severity: 'low',
          message: `${c.schema}.${c.table}.${c.column} looks enum-like (about ${c.distinct} distinct values in the planner statistics) and accepts any text; its values are unconfirmed: ${confirmHint(seen.failure, role)}.`,
          evidence: { distinctEstimate: c.distinct, failure: seen.failure },
          remediation: `Confirm the values in use, then add a CHECK (… IN (…)) NOT VALID and VALIDATE it, or use an enum type.`,
          confidence: 'unconfirmed',
        });
        continue;
      }
      const distinct = seen.distinct ?? seen.values.length;
      if (!seen.complete || distinct === 0 || distinct > 12) continue;
      const severity = /status|state/.test(c.column) ? 'medium' : 'low';
      if (seen.shown === false) {
        // Values that are not labels (or held by one or two rows) may be personal data: counts only, and the
        // allowed list is a product decision, so no migration is written.
        findings.push({
          ...base,
          severity,
          message: `${c.schema}.${c.table}.${c.column} holds only ${distinct} distinct values but accepts any text; they are not shown because they do not all look like labels shared by several rows.`,
          evidence: { distinctValues: distinct, valuesShown: false, distinctEstimate: c.distinct },
          remediation: `Decide the allowed values, then add CHECK (${quoteIdent(c.column)} IN (…)) NOT VALID and VALIDATE it; or use an enum type.`,
          confidence: 'exact',
        });
        continue;
      }
      findings.push({
        ...base,
        severity,
        message: `${c.schema}.${c.table}.${c.column} holds only ${plural(seen.values.length, 'value')} (${seen.values.join(', ')}) but accepts any text: a typo like '${seen.values[0]}e' becomes a state renewals and access checks do not handle.`,
        evidence: { valuesSeen: [...seen.values], distinctEstimate: c.distinct },
        remediation: `Add CHECK (${quoteIdent(c.column)} IN (${seen.values.map(quoteLiteral).join(', ')})) NOT VALID, then VALIDATE it; or use an enum type.`,
        migrations: checkRepair({ schema: c.schema, table: c.table }, c.column, seen.values, { violations: 0, exact: seen.complete && seen.estimated === false }),
        confidence: 'exact',
      });
    }
    return findings;
  },
);
