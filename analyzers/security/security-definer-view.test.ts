import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'security-definer-view';

const BASE = `DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE TABLE notes (id int PRIMARY KEY, owner_id int, body text);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own ON notes USING (owner_id = 1);`;

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for a security_invoker view', async () => {
    const db = await fixtures.databaseWith(`${BASE}
       CREATE VIEW my_notes WITH (security_invoker = true) AS SELECT id, body FROM notes;
       GRANT SELECT ON my_notes TO authenticated;`, 'sdv_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports a superuser-owned view the API roles may read as high, naming them', async () => {
    const db = await fixtures.databaseWith(`${BASE}
       CREATE VIEW all_notes AS SELECT id, body FROM notes;
       GRANT SELECT ON all_notes TO anon, authenticated;`, 'sdv_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.table, f.severity]), [['all_notes', 'high']]);
    assert.match(found[0]!.message, /anon and authenticated may read it/);
  });
});
