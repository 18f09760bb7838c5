import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { Finding } from '../../src/engine/finding.js';
import { findingId } from '../../src/engine/finding.js';
import { checkCandidates } from '../../src/integrity/candidates.js';
import { checkRepair } from '../../src/migrate/repair.js';

export default defineAnalyzer(
  {
    id: 'missing-check',
    title: 'Enum-like column without a CHECK',
    category: 'integrity',
    defaultSeverity: 'low',
    requires: ['columnStats'],
    fixable: true,
    description: 'Text columns like status, role or interval with a handful of values and no CHECK or enum type: a typo becomes a state no code handles.',
  },
  ({ snapshot }) => {
    const findings: Finding[] = [];
    for (const c of checkCandidates(snapshot)) {
      const seen = snapshot.dataChecks.values.find((v) => v.schema === c.schema && v.table === c.table && v.column === c.column);
      if (!seen || !seen.complete || seen.values.length === 0) continue;
      findings.push({
        id: findingId('missing-check', { schema: c.schema, table: c.table }, c.column),
        rule: 'missing-check',
        category: 'integrity',
        severity: /status|state/.test(c.column) ? 'medium' : 'low',
        title: 'Enum-like column without a CHECK',
        message: `${c.schema}.${c.table}.${c.column} holds only ${seen.values.length} values (${seen.values.join(', ')}) but accepts any text: a typo like '${seen.values[0]}e' becomes a state renewals and access checks do not handle.`,
        object: { schema: c.schema, table: c.table, columns: [c.column] },
        evidence: { valuesSeen: [...seen.values], distinctEstimate: c.distinct },
        remediation: `Add CHECK (${c.column} IN (${seen.values.map((v) => `'${v}'`).join(', ')})) NOT VALID, then VALIDATE it; or use an enum type.`,
        migrations: checkRepair({ schema: c.schema, table: c.table }, c.column, seen.values),
      });
    }
    return findings;
  },
);
