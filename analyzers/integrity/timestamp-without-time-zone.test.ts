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
});
