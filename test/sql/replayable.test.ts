import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureParser } from '../../src/sql/parser.js';
import { replayableSelect } from '../../src/sql/replayable.js';

before(ensureParser);

describe('what verify may execute of a captured or logged text', () => {
  it('one plain SELECT (a CTE, a join, a subquery) is replayable', () => {
    for (const sql of ['SELECT id FROM posts WHERE author_id = $1', 'WITH r AS (SELECT 1 AS x) SELECT x FROM r', 'SELECT * FROM a JOIN b ON b.a_id = a.id WHERE a.id IN (SELECT 1)']) assert.equal(replayableSelect(sql), true, sql);
  });

  it('row locks, writes, data-modifying CTEs, several statements and text that does not parse are not', () => {
    for (const sql of [
      'SELECT id FROM posts WHERE id = $1 FOR UPDATE',
      'SELECT * FROM (SELECT id FROM posts FOR SHARE) s',
      'WITH d AS (DELETE FROM posts RETURNING id) SELECT id FROM d',
      'UPDATE posts SET title = $1',
      'SELECT 1; DROP TABLE posts',
      'SELECT 1) x; DROP TABLE posts; SELECT (1',
      "COMMIT",
    ]) assert.equal(replayableSelect(sql), false, sql);
  });
});
