import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useFixtures } from '../../test/harness/fixtures.js';
import { findingsOf } from '../../test/harness/scan.js';

const RULE = 'function-security';

const ROLES = `DO $$ BEGIN CREATE ROLE anon NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;`;

describe(RULE, () => {
  const fixtures = useFixtures(import.meta.url);

  it('reports nothing for functions with their own search_path, not callable by the API roles', async () => {
    const db = await fixtures.databaseWith(`${ROLES}
       CREATE FUNCTION ok_invoker(x int) RETURNS int LANGUAGE sql SET search_path = '' AS $$ SELECT x + 1 $$;
       CREATE FUNCTION ok_definer() RETURNS int LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog AS $$ SELECT 1 $$;
       REVOKE ALL ON FUNCTION ok_definer() FROM PUBLIC;`, 'fnsec_ok');
    assert.deepEqual(findingsOf(await fixtures.scan(db, [RULE]), RULE), []);
  });

  it('reports a definer without a search_path (high), a definer the API roles may call (medium), an unfixed search_path (low)', async () => {
    const db = await fixtures.databaseWith(`${ROLES}
       CREATE TABLE accounts (id int PRIMARY KEY, owner uuid);
       CREATE FUNCTION hijackable() RETURNS bigint LANGUAGE sql SECURITY DEFINER AS $$ SELECT count(*) FROM accounts $$;
       REVOKE ALL ON FUNCTION hijackable() FROM PUBLIC;
       CREATE FUNCTION exposed() RETURNS bigint LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$ SELECT count(*) FROM accounts $$;
       GRANT EXECUTE ON FUNCTION exposed() TO anon, authenticated;
       CREATE FUNCTION loose(x int) RETURNS int LANGUAGE sql AS $$ SELECT x $$;`, 'fnsec_bad');
    const found = findingsOf(await fixtures.scan(db, [RULE]), RULE);
    assert.deepEqual(found.map((f) => [f.object.routine, f.severity]).sort(), [['exposed', 'medium'], ['hijackable', 'high'], ['loose', 'low']]);
    assert.match(found.find((f) => f.object.routine === 'exposed')!.message, /anon and authenticated may EXECUTE it/);
  });
});
