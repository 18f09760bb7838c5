import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'float-money';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for numeric or integer money, or floats that are not money', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE payments (id int PRIMARY KEY, amount numeric(12,2), fee_cents bigint, latitude double precision, score real);`, 'fm_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports amounts, prices and *_cents stored as real or double precision', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE payments (id int PRIMARY KEY, amount double precision, tax_cents real); CREATE TABLE plans (id int PRIMARY KEY, price real);`, 'fm_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => f.id).sort(), ['float-money:public.payments:amount', 'float-money:public.payments:tax_cents', 'float-money:public.plans:price']);
    assert.match(found.find((f) => f.id.endsWith('tax_cents'))!.remediation, /TYPE bigint/);
  });
});
