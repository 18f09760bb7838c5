import { defineAnalyzer } from '../../src/engine/analyzer.js';
import { snakeName } from '../../src/sql/identifier.js';
import type { FindingDraft } from '../../src/model/finding.js';

const EVENT = /(_at|_on|_time|_date|_until|^created|^updated|^deleted|^expires|^starts|^ends|^paid|^renew|timestamp)$/;

export default defineAnalyzer(
  {
    id: 'timestamp-without-time-zone',
    title: 'Event time stored without a time zone',
    category: 'integrity',
    defaultSeverity: 'low',
    requires: [],
    fixable: false,
    description: 'timestamp (without time zone) columns for events in time (created_at, expires_at…): their meaning depends on the server and client time zones.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    for (const t of snapshot.tables) {
      if (t.isPartition) continue;
      for (const c of t.columns) {
        if (!/^timestamp( without time zone|\(\d\) without time zone)?$/.test(c.type) || !EVENT.test(snakeName(c.name))) continue;
        findings.push({
          key: c.name,
          severity: /expire|renew|until|ends|paid/.test(snakeName(c.name)) ? 'medium' : 'low',
          message: `${t.schema}.${t.name}.${c.name} is a ${c.type}: an instant stored without its zone means whatever the writing client's time zone was, so renewals and expiries can fire hours early or late, and daylight-saving changes repeat or skip an hour.`,
          object: { schema: t.schema, table: t.name, columns: [c.name] },
          evidence: { type: c.type },
          remediation: `Convert to timestamptz, stating the zone the values were written in: ALTER TABLE ${t.name} ALTER COLUMN ${c.name} TYPE timestamptz USING ${c.name} AT TIME ZONE 'UTC' (rewrites the table under an ACCESS EXCLUSIVE lock: plan a window).`,
        });
      }
    }
    return findings;
  },
);
