import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { databaseWith, execSql } from '../../test/harness/server.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'invalid-index';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when every index is valid', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY, email text); CREATE UNIQUE INDEX members_email ON members (email);`, 'inv_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports the index a failed CREATE INDEX CONCURRENTLY left behind, with drop and rebuild steps', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY, email text); INSERT INTO members VALUES (1, 'a'), (2, 'a');`, 'inv_bad');
    await fixtures.live(db, (url) => assert.rejects(execSql(url, 'CREATE UNIQUE INDEX CONCURRENTLY members_email ON members (email)'), /could not create unique index/));
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.index, f.severity, f.evidence.unique]), [['members_email', 'high', true]]);
    const steps = found[0]!.migrations ?? [];
    assert.deepEqual(steps.map((s) => s.transactional), [false, false]);
    assert.match(steps[0]!.up, /DROP INDEX CONCURRENTLY IF EXISTS public\.members_email;/);
    assert.match(steps[1]!.up, /CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS members_email ON public\.members USING btree \(email\);/);
  });
});
