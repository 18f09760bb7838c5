import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingsOf, scanDatabase } from '../../test/harness/scan.js';
import { databaseWith, useEmbeddedServer } from '../../test/harness/server.js';

const RULE = 'float-money';

describe(RULE, () => {
  const server = useEmbeddedServer();

  it('reports nothing for numeric or integer money, or floats that are not money', async () => {
    const url = await databaseWith(server(), `CREATE TABLE payments (id int PRIMARY KEY, amount numeric(12,2), fee_cents bigint, latitude double precision, score real);`, 'fm_ok');
    assert.deepEqual(findingsOf(await scanDatabase(url, [RULE]), RULE), []);
  });

  it('reports amounts, prices and *_cents stored as real or double precision', async () => {
    const url = await databaseWith(server(), `CREATE TABLE payments (id int PRIMARY KEY, amount double precision, tax_cents real); CREATE TABLE plans (id int PRIMARY KEY, price real);`, 'fm_bad');
    const found = findingsOf(await scanDatabase(url, [RULE]), RULE);
    assert.deepEqual(found.map((f) => f.id).sort(), ['float-money:public.payments:amount', 'float-money:public.payments:tax_cents', 'float-money:public.plans:price']);
    assert.match(found.find((f) => f.id.endsWith('tax_cents'))!.remediation, /TYPE bigint/);
  });
});
