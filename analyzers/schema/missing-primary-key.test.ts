import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { databaseWith } from '../../test/harness/server.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'missing-primary-key';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing when every table (and partitioned parent) has a primary key', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id bigint PRIMARY KEY);
       CREATE TABLE memberships (member_id bigint, community_id bigint, PRIMARY KEY (member_id, community_id));
       CREATE TABLE events (id bigint, at timestamptz, PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
       CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');`,
      'pk_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports tables without one, and proposes a unique NOT NULL index when there is one', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE audit_events (member_id bigint, action text);
       CREATE TABLE invites (token text NOT NULL, email text);
       CREATE UNIQUE INDEX invites_token ON invites (token);
       CREATE TABLE page_views (id bigint, path text);
       CREATE TABLE logs (at timestamptz, line text) PARTITION BY RANGE (at);`,
      'pk_bad',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => f.object.table).sort(), ['audit_events', 'invites', 'logs', 'page_views']);
    const invites = found.find((f) => f.object.table === 'invites')!;
    assert.equal(invites.evidence.candidateIndex, 'invites_token');
    assert.match(invites.migrations?.[0]?.up ?? '', /ADD CONSTRAINT invites_token PRIMARY KEY USING INDEX invites_token;/);
    const audit = found.find((f) => f.object.table === 'audit_events')!;
    assert.deepEqual(audit.migrations?.map((m) => m.name), [
      'add_id_column_audit_events',
      'backfill_id_audit_events',
      'create_index_audit_events_id_key',
      'add_id_not_null_check_audit_events',
      'validate_id_not_null_check_audit_events',
      'add_primary_key_audit_events',
    ]);
    const views = found.find((f) => f.object.table === 'page_views')!;
    assert.deepEqual(views.migrations?.slice(0, 3).map((m) => m.name), ['add_id_sequence_page_views', 'backfill_id_page_views', 'create_index_page_views_id_key'], 'an existing id column is reused, numbered after its largest value');
    assert.equal(found.find((f) => f.object.table === 'logs')!.migrations, undefined, 'partitioned tables get advice, not a generated key');
  });
});
