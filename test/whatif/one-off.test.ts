import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { oneOffReason } from '../../src/advisor/steady-writes.js';
import type { WorkloadStatement } from '../../src/derive/workload.js';
import { analyzeStatement } from '../../src/sql/analyze.js';
import { ensureParser } from '../../src/sql/parser.js';

before(ensureParser);

function statement(query: string, calls: number, rows: number, withheld = false): WorkloadStatement {
  const stat = { queryid: '1', query, role: null, calls, rows, totalMs: 10, meanMs: 1, stddevMs: 0, minMs: 0, maxMs: 1, p95EstimateMs: 1, sharedBlksHit: 0, sharedBlksRead: 0, blkReadMs: 0, ...(withheld ? { withheld: true } : {}) };
  return { stat, parsed: analyzeStatement(query), tables: [] };
}

describe('which writes are one-off (left out of the write cost) and which are traffic', () => {
  it('a load, an INSERT … SELECT run once, COPY and a withheld utility are one-off', () => {
    assert.match(oneOffReason(statement('INSERT INTO events (a) SELECT g FROM generate_series($1, $2) g', 1, 200000)) ?? '', /1 call writing 200000 rows/);
    assert.match(oneOffReason(statement('INSERT INTO archive SELECT * FROM events WHERE created_at < $1', 2, 300)) ?? '', /INSERT … SELECT run once/);
    assert.match(oneOffReason(statement('UPDATE events SET kind = $1 WHERE kind IS NULL', 1, 50000)) ?? '', /a load or backfill/);
    assert.match(oneOffReason(statement('COPY events FROM STDIN', 1, 10)) ?? '', /COPY/);
    assert.match(oneOffReason(statement('/* CREATE: text withheld by pgrescue */', 1, 0, true)) ?? '', /withheld/);
  });

  it('recurring writes stay: VALUES inserts, an INSERT … SELECT per request, updates by key, and any read', () => {
    assert.equal(oneOffReason(statement('INSERT INTO events (a) VALUES ($1)', 40, 40)), null);
    // Rows from a query, but run per request: traffic (the text has VALUES nowhere; only the parse tree tells them apart).
    assert.equal(oneOffReason(statement('INSERT INTO feed_items (member_id, post_id) SELECT member_id, $1 FROM follows WHERE followee_id = $2', 500, 2500)), null);
    assert.equal(oneOffReason(statement('UPDATE events SET kind = $1 WHERE id = $2', 30, 30)), null);
    assert.equal(oneOffReason(statement('SELECT * FROM events', 1, 200000)), null);
  });
});
