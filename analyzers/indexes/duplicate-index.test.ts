import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { databaseWith } from '../../test/harness/server.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'duplicate-index';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when indexes differ in keys, order, predicate, opclass or method', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY, email text, status text, deleted_at timestamptz);
       CREATE INDEX a ON members (email);
       CREATE INDEX b ON members (email text_pattern_ops);
       CREATE INDEX c ON members (email) WHERE deleted_at IS NULL;
       CREATE INDEX d ON members USING hash (email);
       CREATE INDEX e ON members (status, email);
       CREATE INDEX f ON members (email, status);
       CREATE INDEX g ON members (lower(email));`,
      'dup_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports the copy, keeps the index that backs a constraint, and writes the drop', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE communities (id bigint PRIMARY KEY, slug text CONSTRAINT communities_slug_key UNIQUE, name text);
       CREATE INDEX communities_slug_idx ON communities (slug);
       CREATE INDEX communities_name_a ON communities (lower(name));
       CREATE INDEX communities_name_b ON communities (lower(name));`,
      'dup_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.id, f.evidence.duplicateOf]), [
      ['duplicate-index:public.communities:communities_name_b', 'communities_name_a'],
      ['duplicate-index:public.communities:communities_slug_idx', 'communities_slug_key'],
    ]);
    const slug = found[1]!;
    assert.equal(slug.evidence.keptBacksConstraint, 'communities_slug_key');
    assert.match(slug.migrations?.[0]?.up ?? '', /DROP INDEX CONCURRENTLY IF EXISTS public\.communities_slug_idx;/);
    assert.match(slug.migrations?.[0]?.down ?? '', /CREATE INDEX CONCURRENTLY IF NOT EXISTS communities_slug_idx ON public\.communities USING btree \(slug\);/);
  });
});
