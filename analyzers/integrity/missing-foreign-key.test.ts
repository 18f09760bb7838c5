import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { ANALYZERS } from '../index.js';
import { analyze } from '../../src/engine/run.js';
import { findingsOf, snapshotOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'missing-foreign-key';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for real foreign keys, unmatched names, other types, or values that do not match', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES members(id), legacy_id bigint, thread_id text);
       CREATE TABLE threads (id bigint PRIMARY KEY);
       CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint);
       INSERT INTO members SELECT generate_series(1, 10);
       INSERT INTO posts SELECT g, 1 + g % 10, g, 'x' FROM generate_series(1, 20) g;
       INSERT INTO comments SELECT g, 1000 + g FROM generate_series(1, 30) g;`,
      'fk_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports references by name (singular/plural, author → members) with the exact orphan count', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE categories (id int PRIMARY KEY);
       CREATE TABLE posts (id bigint PRIMARY KEY, category_id int);
       CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint NOT NULL, author_id bigint);
       INSERT INTO members SELECT generate_series(1, 10);
       INSERT INTO categories SELECT generate_series(1, 5);
       INSERT INTO posts SELECT g, 1 + g % 5 FROM generate_series(1, 50) g;
       INSERT INTO comments SELECT g, 1 + g % 50, 1 + g % 10 FROM generate_series(1, 200) g;
       INSERT INTO comments VALUES (201, 999, 1), (202, 998, 2), (203, 1, 77);`,
      'fk_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.id, f.severity, f.evidence.orphans]).sort(), [
      ['missing-foreign-key:public.comments:author_id', 'high', 1],
      ['missing-foreign-key:public.comments:post_id', 'high', 2],
      ['missing-foreign-key:public.posts:category_id', 'medium', 0],
    ]);
    const steps = found.find((f) => f.object.columns?.[0] === 'post_id')!.migrations!.map((m) => [m.name, m.destructive ?? false]);
    assert.deepEqual(steps, [
      ['report_orphans_comments_post_id', false],
      ['cleanup_orphans_comments_post_id', true],
      ['create_index_comments_post_id_idx', false],
      ['add_foreign_key_comments_post_id_fkey', false],
      ['validate_foreign_key_comments_post_id_fkey', false],
    ]);
  });

  it('a data check that times out lowers confidence and says so; the scan goes on', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE posts (id bigint PRIMARY KEY);
       CREATE TABLE comments (id bigint PRIMARY KEY, post_id bigint);
       INSERT INTO posts SELECT generate_series(1, 90000);
       INSERT INTO comments SELECT g, 1 + g % 90000 FROM generate_series(1, 90000) g;`,
      'fk_timeout',
    );
    const snap = await fixtures.snapshot(db, { dataCheckTimeoutMs: 1 });
    assert.equal(snap.dataChecks.foreignKeys[0]?.confidence, 'timed-out');
    assert.ok(snap.warnings.some((w) => w.code === 'data-checks-timed-out'), 'the scan says so');
    const found = findingsOf(analyze(snap, ANALYZERS, { rules: [RULE] }), RULE);
    assert.deepEqual(found.map((f) => [f.id, f.severity, f.evidence.confidence]), [['missing-foreign-key:public.comments:post_id', 'low', 'timed-out']]);
    assert.match(found[0]!.message, /timed out, so this is unconfirmed/);
  });
});
