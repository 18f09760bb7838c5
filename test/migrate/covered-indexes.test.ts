import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withoutCoveredIndexes } from '../../src/migrate/plan.js';
import type { PlannedMigration } from '../../src/migrate/plan.js';
import { createIndexMigration } from '../../src/migrate/recipes.js';

function build(name: string, keys: string[], options: { unique?: boolean; where?: string } = {}): PlannedMigration {
  return { findingId: `f:${name}`, rule: 'r', migration: createIndexMigration({ schema: 'public', table: 't', name, keys, ...options }, 'why') };
}

describe('a plan leaves out an index build another planned one covers', () => {
  it('drops a prefix of a wider build and a plain twin of a unique one; keeps partial, unique and unrelated builds', () => {
    const plan = [
      build('t_member_id_idx', ['member_id']),
      build('t_member_id_status_idx', ['member_id', 'status DESC']),
      build('t_token_idx', ['token']),
      build('t_token_key', ['token'], { unique: true }),
      build('t_live_member_idx', ['member_id'], { where: 'deleted_at IS NULL' }),
      build('t_email_key', ['(lower(email))'], { unique: true }),
      build('t_email_key_again', ['(lower(email))'], { unique: true }),
      build('t_a_idx', ['a']),
      build('t_a_idx_twin', ['a']),
    ];
    assert.deepEqual(
      withoutCoveredIndexes(plan).map((p) => p.migration.name),
      ['create_index_t_member_id_status_idx', 'create_index_t_token_key', 'create_index_t_live_member_idx', 'create_index_t_email_key', 'create_index_t_email_key_again', 'create_index_t_a_idx'],
    );
  });
});
