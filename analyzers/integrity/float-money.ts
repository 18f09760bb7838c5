import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';

const MONEY = /(^|_)(amount|price|total|balance|cost|fee|fees|revenue|tax|subtotal|discount|refund|payout|credit|debit)($|_)|_cents$/;

export default defineAnalyzer(
  {
    id: 'float-money',
    title: 'Money stored as floating point',
    category: 'integrity',
    defaultSeverity: 'medium',
    requires: [],
    fixable: false,
    description: 'Amounts, prices, totals and balances stored as real or double precision: binary fractions make sums drift by cents.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    for (const t of snapshot.tables) {
      if (t.isPartition) continue;
      for (const c of t.columns) {
        if (!/^(real|double precision)$/.test(c.type) || !MONEY.test(c.name)) continue;
        const cents = /_cents$/.test(c.name);
        findings.push({
          key: c.name,
          severity: 'medium',
          message: `${t.schema}.${t.name}.${c.name} stores money as ${c.type}: 0.1 + 0.2 is not 0.3 in binary floating point, so totals, refunds and balances drift by cents and equality checks fail.`,
          object: { schema: t.schema, table: t.name, columns: [c.name] },
          evidence: { type: c.type, rows: t.rowEstimate },
          remediation: cents
            ? `Store cents as bigint: ALTER TABLE ${t.name} ALTER COLUMN ${c.name} TYPE bigint USING round(${c.name})::bigint (rewrites the table under an ACCESS EXCLUSIVE lock: plan a window or migrate through a new column).`
            : `Store it as numeric(12,2) (or integer cents): ALTER TABLE ${t.name} ALTER COLUMN ${c.name} TYPE numeric(12,2) USING round(${c.name}::numeric, 2) (rewrites the table under an ACCESS EXCLUSIVE lock: plan a window or migrate through a new column).`,
        });
      }
    }
    return findings;
  },
);
