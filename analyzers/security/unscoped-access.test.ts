import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';
import { asRole, runAs, securitySql } from './_fixtures.js';

const RULE = 'unscoped-access';

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for scoped lookups, scoped join and EXISTS paths, public tables, and tables whose RLS applies', async () => {
    const db = await fixtures.databaseWith(
      securitySql(`CREATE TABLE notes (id bigint PRIMARY KEY, member_id bigint NOT NULL, body text);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own_notes ON notes TO app_user USING (member_id = current_setting('app.user_id', true)::bigint);
       GRANT SELECT ON notes TO app_user;`),
      'scoped_ok',
    );
    await fixtures.live(db, (url) => runAs(asRole(url, 'app_user', 'app'), [
      ['SELECT amount_cents FROM payments WHERE id = $1 AND member_id = $2', [1, 2]],
      ['SELECT l.label FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE i.member_id = $1', [3]],
      ['SELECT label FROM invoice_lines l WHERE EXISTS (SELECT 1 FROM invoices i WHERE i.id = l.invoice_id AND i.member_id = $1)', [3]],
      ['SELECT label FROM invoice_lines WHERE invoice_id IN (SELECT id FROM invoices WHERE member_id = $1)', [3]],
      ['WITH mine AS (SELECT id FROM invoices WHERE member_id = $1) SELECT l.label FROM invoice_lines l JOIN mine ON mine.id = l.invoice_id', [3]],
      ['SELECT name FROM plans', []],
      ['SELECT body FROM notes WHERE id = $1', [1]],
    ]));
    const report = await fixtures.scan(db, [RULE]);
    assert.deepEqual(findingsOf(report, RULE).map((f) => f.statements?.[0]?.query), []);
  });

  it('reports id-only lookups (IDOR), unscoped writes and lists, and the table owner RLS does not apply to', async () => {
    const db = await fixtures.databaseWith(
      securitySql(`CREATE TABLE notes (id bigint PRIMARY KEY, member_id bigint NOT NULL, body text);
       ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
       CREATE POLICY own_notes ON notes USING (member_id = current_setting('app.user_id', true)::bigint);
       ALTER TABLE notes OWNER TO app_owner;`),
      'scoped_bad',
    );
    await fixtures.live(db, async (url) => {
      await runAs(asRole(url, 'app_user', 'app'), [
      ['SELECT amount_cents FROM payments WHERE id = $1', [1]],
      ['UPDATE payments SET amount_cents = $1 WHERE id = $2', [5, 1]],
      ['SELECT id, amount_cents FROM payments WHERE amount_cents > $1 ORDER BY id LIMIT 10', [50]],
      ['SELECT l.label FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id WHERE l.id = $1', [1]],
    ]);
      await runAs(asRole(url, 'app_owner', 'owner'), [['SELECT body FROM notes WHERE id = $1', [1]]]);
    });
    const report = await fixtures.scan(db, [RULE]);
    const found = findingsOf(report, RULE).map((f) => [f.object.table, f.evidence.kind, f.evidence.shape, f.severity, f.evidence.role]);
    assert.deepEqual(found.sort(), [
      ['invoice_lines', 'select', 'id-only', 'high', 'app_user'],
      ['invoices', 'select', 'unscoped-list', 'medium', 'app_user'],
      ['notes', 'select', 'id-only', 'medium', 'app_owner'],
      ['payments', 'select', 'id-only', 'high', 'app_user'],
      ['payments', 'select', 'unscoped-list', 'medium', 'app_user'],
      ['payments', 'update', 'id-only', 'critical', 'app_user'],
    ].sort());
    const idor = findingsOf(report, RULE).find((f) => f.evidence.shape === 'id-only' && f.evidence.kind === 'select' && f.object.table === 'payments')!;
    assert.match(idor.message, /by id alone \(the IDOR shape\)/);
    assert.match(idor.remediation, /AND payments\.member_id = \(select nullif\(current_setting\('app\.user_id', true\), ''\)::bigint\)/);
  });

  it('pre-authentication lookups (login by email, session and invite tokens) and profile reads of the sign-in table are not IDOR findings; an id lookup of the same table is', async () => {
    const db = await fixtures.databaseWith(
      `${securitySql(`CREATE UNIQUE INDEX members_email_lower ON members (lower(email));
       CREATE TABLE invites (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), token text NOT NULL UNIQUE);
       CREATE TABLE sessions (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), token_hash text NOT NULL UNIQUE, created_at timestamptz);
       INSERT INTO invites VALUES (1, 1, 'tok-1'); INSERT INTO sessions VALUES (1, 1, 'h-1', now());`)}
       GRANT SELECT ON invites, sessions TO app_user;`,
      'preauth',
    );
    await fixtures.live(db, (url) => runAs(asRole(url, 'app_user', 'app'), [
      ['SELECT id, password_hash FROM members WHERE lower(email) = lower($1)', ['m1@x.io']],
      ['SELECT id, password_hash FROM members WHERE lower(email) = $1', ['m1@x.io']],
      ['SELECT member_id FROM invites WHERE token = $1', ['tok-1']],
      ['SELECT member_id, created_at FROM sessions WHERE token_hash = $1', ['h-1']],
      ['SELECT member_id, token FROM invites WHERE id = $1', [1]],
      // Another member's profile row (a post's author, a member list): what a community shows.
      ['SELECT id, email FROM members WHERE id = $1', [1]],
      ['SELECT m.id, m.email FROM members m ORDER BY m.id LIMIT $1', [20]],
    ]));
    const report = await fixtures.scan(db, [RULE]);
    const found = findingsOf(report, RULE).map((f) => [f.object.table, f.evidence.shape, f.statements?.[0]?.query]);
    assert.deepEqual(found, [['invites', 'id-only', 'SELECT member_id, token FROM invites WHERE id = $1']]);
  });
});
