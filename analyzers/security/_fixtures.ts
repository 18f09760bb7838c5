import pg from 'pg';
import type { TestServer } from '../../test/harness/server.js';
import { databaseWith } from '../../test/harness/server.js';

/** A membership app's tables, an app role that is not the owner, and a role that owns one table. */
export const SECURITY_SCHEMA = `
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE app_user LOGIN PASSWORD 'app'; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'app_owner') THEN CREATE ROLE app_owner LOGIN PASSWORD 'owner'; END IF;
END $$;
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL, password_hash text NOT NULL);
CREATE TABLE payments (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), amount_cents int NOT NULL);
CREATE TABLE invoices (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id));
CREATE TABLE invoice_lines (id bigint PRIMARY KEY, invoice_id bigint NOT NULL REFERENCES invoices(id), label text);
CREATE TABLE plans (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO members SELECT g, 'm' || g || '@x.io', '$2b$12$' || substr(md5(g::text) || md5(g::text), 1, 53) FROM generate_series(1, 20) g;
INSERT INTO payments SELECT g, 1 + g % 20, g FROM generate_series(1, 100) g;
INSERT INTO invoices SELECT g, 1 + g % 20 FROM generate_series(1, 40) g;
INSERT INTO invoice_lines SELECT g, 1 + g % 40, 'l' FROM generate_series(1, 80) g;
INSERT INTO plans VALUES (1, 'Free'), (2, 'Pro');
GRANT USAGE ON SCHEMA public TO app_user, app_owner;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO app_user;
`;

/** The security schema plus a test's own SQL, for `fixtures.databaseWith`. */
export function securitySql(extra = ''): string {
  return `${SECURITY_SCHEMA}\n${extra}`;
}

export async function securityDatabase(server: TestServer, extra = '', prefix = 'sec'): Promise<string> {
  return databaseWith(server, `${SECURITY_SCHEMA}\n${extra}`, prefix);
}

/** Connect as another role of the same server (test roles have their name as part of the password above). */
export function asRole(url: string, role: string, password: string): string {
  const u = new URL(url);
  u.username = role;
  u.password = password;
  return u.toString();
}

export async function runAs(url: string, statements: [string, unknown[]][], times = 3): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < times; i++) for (const [sql, params] of statements) await client.query(sql, params);
  } finally {
    await client.end();
  }
}
