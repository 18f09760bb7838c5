import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ensureParser } from '../../src/sql/parser.js';
import { findingsOf, scanDatabase } from '../harness/scan.js';
import { databaseWith, useEmbeddedServer } from '../harness/server.js';

before(ensureParser);

/** Basejump's shape: membership checked in a SECURITY DEFINER helper whose body reads auth.uid(), one level down. */
const SCHEMA = `
DO $$ BEGIN CREATE ROLE authenticated NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
CREATE SCHEMA auth;
CREATE TABLE auth.users (id uuid PRIMARY KEY);
CREATE FUNCTION auth.uid() RETURNS uuid LANGUAGE sql STABLE AS $$ SELECT nullif(current_setting('request.jwt.claim.sub', true), '')::uuid $$;
CREATE TABLE accounts (id uuid PRIMARY KEY, primary_owner_user_id uuid NOT NULL REFERENCES auth.users (id), name text);
CREATE TABLE account_user (user_id uuid NOT NULL REFERENCES auth.users (id), account_id uuid NOT NULL REFERENCES accounts (id), PRIMARY KEY (user_id, account_id));
CREATE FUNCTION current_user_account_ids() RETURNS SETOF uuid LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT account_id FROM account_user WHERE user_id = auth.uid() $$;
CREATE FUNCTION has_role_on_account(p_account uuid) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$ SELECT p_account IN (SELECT current_user_account_ids()) $$;
CREATE FUNCTION always_yes() RETURNS boolean LANGUAGE sql IMMUTABLE AS $$ SELECT true $$;
ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
CREATE POLICY members_read ON accounts FOR SELECT TO authenticated USING (has_role_on_account(id));
CREATE POLICY anyone_updates ON accounts FOR UPDATE TO authenticated USING (always_yes());
GRANT SELECT, UPDATE ON accounts TO authenticated;
`;

describe('policies that check membership through the app\'s functions', () => {
  const server = useEmbeddedServer();

  it('follow the function bodies: a membership helper scopes rows; a function that never reads the identity does not', async () => {
    const url = await databaseWith(server(), SCHEMA, 'policy_functions');
    const report = await scanDatabase(url, ['rls-permissive-policy']);
    const flagged = findingsOf(report, 'rls-permissive-policy').filter((f) => !f.id.endsWith(':per-row-call')).map((f) => f.object.policy);
    assert.deepEqual(flagged, ['anyone_updates']);
  });
});
