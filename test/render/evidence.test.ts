import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evidenceLabel, evidenceValue } from '../../src/derive/format.js';

describe('evidence as words (TUI detail and Markdown report)', () => {
  it('keys read as words, values never as raw JSON', () => {
    assert.equal(evidenceLabel('parentDeletesAndUpdates'), 'parent deletes and updates');
    assert.equal(evidenceLabel('p95EstimateMs'), 'p95 estimate ms');
    assert.equal(evidenceValue(['a', 'b']), 'a, b');
    assert.equal(evidenceValue({ costBefore: 120, costAfter: 8 }), 'cost before: 120; cost after: 8');
    assert.equal(evidenceValue(null), 'unknown');
    assert.doesNotMatch(evidenceValue([{ statement: 'SELECT 1', calls: 3 }]), /[{}"]/);
  });
});
