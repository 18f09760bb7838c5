import { defineAnalyzer } from '../../src/engine/analyzer.js';
import { snakeName } from '../../src/sql/identifier.js';
import { qualified, quoteIdent } from '../../src/sql/quote.js';
import type { FindingDraft } from '../../src/model/finding.js';
import type { Column, Table } from '../../src/model/snapshot.js';

const EVENT = /(_at|_on|_time|_date|_until|^created|^updated|^deleted|^expires|^starts|^ends|^paid|^renew|timestamp)$/;
const WITHOUT_ZONE = /^timestamp( without time zone|\(\d\) without time zone)?$/;
const WITH_ZONE = /^timestamp(\(\d\))? with time zone$/;
const EXPIRY = /expire|renew|until|ends|paid/;

/** A schema where at least this many event columns, and this share of them, lack a zone follows a convention. */
const CONVENTION_MIN = 8;
const CONVENTION_SHARE = 0.8;

export default defineAnalyzer(
  {
    id: 'timestamp-without-time-zone',
    title: 'Event time stored without a time zone',
    category: 'integrity',
    defaultSeverity: 'low',
    requires: [],
    fixable: false,
    description: 'timestamp (without time zone) columns for events in time (created_at, expires_at…): their meaning depends on the writers\' time zones. A schema that stores every event that way (an ORM default) gets one finding for the convention.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    const bySchema = new Map<string, { events: number; without: { t: Table; c: Column }[] }>();
    for (const t of snapshot.tables) {
      if (t.isPartition) continue;
      for (const c of t.columns) {
        const zoned = WITH_ZONE.test(c.type);
        const bare = WITHOUT_ZONE.test(c.type);
        if ((!zoned && !bare) || !EVENT.test(snakeName(c.name))) continue;
        const entry = bySchema.get(t.schema) ?? { events: 0, without: [] };
        entry.events++;
        if (bare) entry.without.push({ t, c });
        bySchema.set(t.schema, entry);
      }
    }
    for (const [schema, { events, without }] of bySchema) {
      if (without.length >= CONVENTION_MIN && without.length / events >= CONVENTION_SHARE) {
        // Prisma's DateTime, Rails' datetime: the whole schema is written one way, by one library that stores UTC.
        // One decision, not hundreds of findings.
        const expiries = without.filter(({ c }) => EXPIRY.test(snakeName(c.name)));
        findings.push({
          key: 'convention',
          severity: 'low',
          message: `${without.length} of the ${events} event-time columns in schema ${schema} are timestamp without time zone — the convention of an ORM that writes UTC (Prisma's DateTime, Rails' datetime). The values stay right only while every writer (the app, jobs, psql sessions, other services) writes UTC; a writer in another zone, or now() under a non-UTC TimeZone, shifts them silently${expiries.length > 0 ? `, and ${expiries.length} of them drive expiries or renewals` : ''}.`,
          object: { schema, table: '*' },
          evidence: {
            columns: without.length,
            eventColumns: events,
            expiryColumns: expiries.slice(0, 20).map(({ t, c }) => `${t.name}.${c.name}`),
            examples: without.slice(0, 10).map(({ t, c }) => `${t.name}.${c.name}`),
          },
          remediation: `Decide once for the schema: keep the convention and make every writer use UTC (SET TimeZone = 'UTC' for the app's role: ALTER ROLE … SET timezone = 'UTC'), or move to timestamptz table by table (in Prisma: @db.Timestamptz(3); in Rails: t.timestamptz) with a rewrite window per table.`,
        });
        continue;
      }
      for (const { t, c } of without) {
        findings.push({
          key: c.name,
          severity: EXPIRY.test(snakeName(c.name)) ? 'medium' : 'low',
          message: `${t.schema}.${t.name}.${c.name} is a ${c.type}: an instant stored without its zone means whatever the writing client's time zone was, so renewals and expiries can fire hours early or late, and daylight-saving changes repeat or skip an hour.`,
          object: { schema: t.schema, table: t.name, columns: [c.name] },
          evidence: { type: c.type },
          remediation: `Convert to timestamptz, stating the zone the values were written in: ALTER TABLE ${qualified(t.schema, t.name)} ALTER COLUMN ${quoteIdent(c.name)} TYPE timestamptz USING ${quoteIdent(c.name)} AT TIME ZONE 'UTC' (rewrites the table under an ACCESS EXCLUSIVE lock: plan a window).`,
        });
      }
    }
    return findings;
  },
);
