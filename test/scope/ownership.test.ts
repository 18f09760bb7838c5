import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureParser } from '../../src/sql/parser.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { databaseWith, execSql, useEmbeddedServer } from '../harness/server.js';
import pg from 'pg';

before(ensureParser);

/**
 * The classes of ownership mistakes seen on real schemas, each as a small schema of our own: a member row pointing
 * at the member who invited it (Rails' users.inviter_id), a billing app's customers beside its users, a tenant
 * column, a polymorphic owner_id.
 */
const SCHEMA = `
CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, inviter_id bigint REFERENCES users (id));
CREATE TABLE organizations (id bigint PRIMARY KEY, name text);
CREATE TABLE memberships (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), organization_id bigint NOT NULL REFERENCES organizations (id), revoked_at timestamptz);
CREATE TABLE customers (id bigint PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations (id), email text);
CREATE TABLE invoices (id bigint PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations (id), customer_id bigint NOT NULL REFERENCES customers (id), amount_cents int);
CREATE TABLE integration_mappings (id bigint PRIMARY KEY, owner_type text NOT NULL, owner_id bigint NOT NULL, organization_id bigint NOT NULL);
`;

describe('ownership on real-schema shapes', () => {
  const server = useEmbeddedServer();

  it('never takes an inviter, a billing customer, a tenant or a polymorphic owner for the signed-in member', async () => {
    const url = await databaseWith(server(), SCHEMA, 'ownership');
    const report = await scanDatabase(url, ['rls-missing']);
    const policy = (table: string): string =>
      findingsOf(report, 'rls-missing')
        .find((f) => f.object.table === table)!
        .migrations!.find((m) => m.name === `enable_rls_${table}`)!.up;
    assert.match(policy('users'), /USING \(id = /, 'a user owns their own row, not the one who invited them');
    assert.doesNotMatch(policy('users'), /inviter_id = \(select/);
    for (const table of ['customers', 'invoices', 'integration_mappings']) {
      const text = policy(table);
      assert.doesNotMatch(text, /(organization_id|customer_id|owner_id) = \(select nullif/, `${table} compares a tenant, a customer or a polymorphic owner with the member`);
      assert.match(text, /FROM public\.memberships tm WHERE tm\.organization_id = public\.\w+\.organization_id AND tm\.user_id = .* AND tm\.revoked_at IS NULL/, `${table} goes through the live memberships`);
    }
    assert.match(policy('memberships'), /user_id = \(select/);
  });
});

/** A conversation between two members: a message belongs to its sender and to its recipient. */
const MESSAGES = `
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL);
CREATE TABLE messages (id bigint PRIMARY KEY, sender bigint NOT NULL REFERENCES members (id), recipient_member_id bigint NOT NULL REFERENCES members (id), body text);
INSERT INTO members SELECT g, 'm' || g || '@x.io' FROM generate_series(1, 20) g;
INSERT INTO messages SELECT g, 1 + g % 20, 1 + (g + 3) % 20, 'hi' FROM generate_series(1, 200) g;
`;

describe('a statement scoped by an OR of owner columns', () => {
  const server = useEmbeddedServer();

  it('(sender = $1 OR recipient = $1) is scoped; (sender = $1 OR true-ish) is not', async () => {
    const url = await databaseWith(server(), MESSAGES, 'or_scoped');
    await execSql(url, 'SELECT pg_stat_statements_reset()');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (let i = 1; i <= 5; i++) {
        await client.query('SELECT id, body FROM messages WHERE (sender = $1 OR recipient_member_id = $1) ORDER BY id DESC LIMIT 20', [i]);
        await client.query('SELECT id, body FROM messages WHERE (sender = $1 OR body = $2) ORDER BY id DESC LIMIT 20', [i, 'hi']);
      }
    } finally {
      await client.end();
    }
    const flagged = findingsOf(await scanDatabase(url, ['unscoped-access']), 'unscoped-access').flatMap((f) => (f.statements ?? []).map((s) => s.query));
    assert.ok(!flagged.some((q) => /recipient_member_id = \$1/.test(q)), 'both alternatives tie the row to the member');
    assert.ok(flagged.some((q) => /body = \$2/.test(q)), 'an alternative that does not is still unscoped');
  });
});
