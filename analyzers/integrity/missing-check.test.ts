import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'missing-check';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing with a CHECK, an enum type, or many distinct values', async () => {
    const db = await fixtures.databaseWith(`CREATE TYPE plan_tier AS ENUM ('free', 'pro');
       CREATE TABLE memberships (id int PRIMARY KEY, status text CHECK (status IN ('active', 'cancelled')), tier plan_tier, note_type text);
       INSERT INTO memberships SELECT g, CASE WHEN g % 2 = 0 THEN 'active' ELSE 'cancelled' END, 'free', 'n' || g FROM generate_series(1, 200) g;`,
      'ck_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports enum-like text columns with the values seen, and the CHECK migration', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE memberships (id int PRIMARY KEY, status text NOT NULL, billing_interval text);
       INSERT INTO memberships SELECT g, (ARRAY['active', 'past_due', 'cancelled'])[1 + g % 3], (ARRAY['month', 'year'])[1 + g % 2] FROM generate_series(1, 300) g;`,
      'ck_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.columns?.[0], f.evidence.valuesSeen, f.severity]).sort(), [
      ['billing_interval', ['month', 'year'], 'low'],
      ['status', ['active', 'cancelled', 'past_due'], 'medium'],
    ]);
    assert.match(found.find((f) => f.object.columns?.[0] === 'status')!.migrations?.[0]?.up ?? '', /CHECK \(status IN \('active', 'cancelled', 'past_due'\)\) NOT VALID;/);
  });
});
