import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'timestamp-without-time-zone';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for timestamptz events or plain timestamps that are not events', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE memberships (id int PRIMARY KEY, created_at timestamptz, expires_at timestamptz, birthday date, local_schedule timestamp);`, 'tz_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports event timestamps without a time zone; expiries are medium', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE memberships (id int PRIMARY KEY, created_at timestamp, expires_at timestamp(3) without time zone);`, 'tz_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.columns?.[0], f.severity]).sort(), [
      ['created_at', 'low'],
      ['expires_at', 'medium'],
    ]);
  });

  it('a schema that stores every event without a zone (Prisma, Rails) gets one finding for the convention', async () => {
    const tables = ['Member', 'Post', 'Comment', 'Invite'].map((t) => `CREATE TABLE "${t}" (id int PRIMARY KEY, "createdAt" timestamp(3) without time zone NOT NULL, "updatedAt" timestamp(3) without time zone NOT NULL, "expiresAt" timestamp(3));`).join('\n');
    const db = await fixtures.databaseWith(tables, 'tz_convention');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.id, f.severity]), [['timestamp-without-time-zone:public.*:convention', 'low']]);
    assert.equal(found[0]!.evidence.columns, 12);
    assert.equal((found[0]!.evidence.expiryColumns as string[]).length, 4);
    assert.match(found[0]!.message, /12 of the 12 event-time columns in schema public/);
  });
});
