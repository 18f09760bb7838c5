import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { deriveScan } from '../../src/derive/scan-state.js';
import { mergeByFingerprint } from '../../src/nplus1/per-row-lookups.js';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { ormLoop, perRequestLookups, SCHEMA, withClient } from './_fixtures.js';

const RULE = 'n-plus-one';

describe(`${RULE} from pg_stat_statements`, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports the per-row loop (children and parents of each row) with its parent list', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'n1_loop');
    await fixtures.live(db, (url) => withClient(url, (c) => ormLoop(c, 30)));
    const report = await fixtures.scan(db, [RULE]);
    const found = findingsOf(report, RULE);
    assert.deepEqual(found.map((f) => f.object.table).sort(), ['comments', 'members']);
    const comments = found.find((f) => f.object.table === 'comments')!;
    assert.equal(comments.evidence.childCalls, 300);
    assert.equal(comments.evidence.parentRows, 300);
    assert.equal(comments.evidence.ratio, 1);
    assert.equal(comments.evidence.linkedBy, 'foreign-key');
    assert.match(comments.statements?.[0]?.query ?? '', /FROM posts WHERE community_id/);
    assert.match(comments.remediation, /SELECT post_id, count\(\*\) FROM public\.comments WHERE post_id = ANY\(\$1\) GROUP BY post_id/);
    assert.match(comments.remediation, /Prisma: include: \{ _count: \{ select: \{ comments: true.*Drizzle.*Sequelize.*TypeORM: relations: \{ comments: true \}.*whereIn\('post_id', ids\).*ActiveRecord/);
    assert.match(comments.message, /Statistics cover only/);
    const authors = found.find((f) => f.object.table === 'members')!;
    assert.equal(authors.evidence.lookup, 'parent-of-row');
    assert.match(authors.remediation, /include: \{ author: true \}/, 'the author of each post: the relation is named after posts.author_id');
  });

  it('does not report lookups done once per request (login, session, current user)', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'n1_fp');
    await fixtures.live(db, (url) => withClient(url, (c) => perRequestLookups(c, 200)));
    const report = await fixtures.scan(db, [RULE]);
    assert.deepEqual(findingsOf(report, RULE), []);
  });

  it('merges entries that differ only by IN list length before judging; a one-parameter IN ($1), a key lookup, stays apart', async () => {
    const db = await fixtures.databaseWith(SCHEMA, 'n1_in');
    await fixtures.live(db, (url) =>
      withClient(url, async (c) => {
        for (let n = 1; n <= 6; n++) await c.query(`SELECT id FROM comments WHERE post_id IN (${Array.from({ length: n }, (_, i) => `$${i + 1}`).join(', ')})`, Array.from({ length: n }, (_, i) => i + 1));
      }),
    );
    const snap = await fixtures.snapshot(db);
    const merged = mergeByFingerprint(deriveScan(snap).workload).filter((m) => m.representative.query.includes('FROM comments WHERE post_id IN'));
    assert.deepEqual(merged.map((m) => m.calls).sort(), [1, 5], 'IN ($1) alone; the lists of 2 to 6 keys together');
  });
});

