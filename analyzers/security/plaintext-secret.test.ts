import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { databaseWith } from '../../test/harness/server.js';

const RULE = 'plaintext-secret';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('empty strings are no secret; a signing key is reported as a key to move out, never to hash', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE accounts (id int PRIMARY KEY, api_token text NOT NULL DEFAULT '', jwt_secret text, webhook_signing_key text);
       INSERT INTO accounts SELECT g, '', encode(sha256(('k' || g)::bytea), 'hex'), 'whsec_' || md5(g::text) FROM generate_series(1, 40) g;`,
      'secret_keys',
    );
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.columns?.[0], f.severity, f.evidence.kind]).sort(), [
      ['jwt_secret', 'high', 'signing-or-encryption-key'],
      ['webhook_signing_key', 'high', 'signing-or-encryption-key'],
    ]);
    for (const f of found) {
      assert.match(f.remediation, /secret store|encrypt it at rest/);
      assert.doesNotMatch(f.remediation, /SHA-256|hash of each/);
    }
  });

  it('reports nothing for bcrypt / argon2 passwords and sha-256 hashed tokens', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE members (id int PRIMARY KEY, password_hash text);
       INSERT INTO members SELECT g, CASE WHEN g % 2 = 0 THEN '$2b$12$' || substr(md5(g::text) || md5(g::text), 1, 53) ELSE '$argon2id$v=19$m=65536,t=3,p=4$' || md5(g::text) END FROM generate_series(1, 50) g;
       CREATE TABLE api_tokens (id int PRIMARY KEY, token_hash text);
       INSERT INTO api_tokens SELECT g, encode(sha256(g::text::bytea), 'hex') FROM generate_series(1, 30) g;`,
      'secret_ok',
    );
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports plaintext passwords and tokens and unsalted MD5, with counts and never a value', async () => {
    const db = await fixtures.databaseWith(`CREATE TABLE legacy_users (id int PRIMARY KEY, password text);
       INSERT INTO legacy_users SELECT g, CASE WHEN g <= 10 THEN md5('pw' || g) ELSE 'hunter' || g END FROM generate_series(1, 40) g;
       CREATE TABLE invites (id int PRIMARY KEY, token text);
       INSERT INTO invites SELECT g, 'inv_' || substr(md5(g::text), 1, 20) FROM generate_series(1, 300) g;`,
      'secret_bad',
    );
    const report = await fixtures.scan(db, [RULE]);
    const found = findingsOf(report, RULE);
    assert.deepEqual(found.map((f) => [f.object.table, f.object.columns?.[0], f.severity]).sort(), [
      ['invites', 'token', 'high'],
      ['legacy_users', 'password', 'critical'],
    ]);
    const pw = found.find((f) => f.object.table === 'legacy_users')!;
    assert.equal(pw.evidence.sampled, 40);
    assert.equal(pw.evidence.notHashed, 30);
    assert.equal(pw.evidence.md5OrSha1, 10);
    assert.equal(found.find((f) => f.object.table === 'invites')!.evidence.sampled, 200, 'the sample is bounded');
    assert.doesNotMatch(JSON.stringify(report), /hunter\d|inv_[0-9a-f]{20}/);
  });
});
