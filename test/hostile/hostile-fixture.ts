import pg from 'pg';

/**
 * A database built the way an attacker with CREATE rights (and the app's users, through row values) would build
 * it: names and values meant to become SQL, end comments, leak secrets or drive a terminal. Identifiers here are
 * quoted with pg's own escapeIdentifier, independently of pgrescue's quoting, and values travel as parameters.
 */

/** Every planted secret contains this marker: none may appear in any output. */
export const SECRET_MARK = 'planted-secret';

const q = (name: string): string => pg.escapeIdentifier(name);

/** Hostile names, by role in the fixture. Each keeps the word a rule looks for, so the rules reach it. */
export const N = {
  schema: 'Sch"ema;\n--DROP TABLE public.canary;',
  members: 'members',
  email: 'email))d;END;BEGIN READ WRITE;SELECT public.f();END;--',
  password: 'password*/ SELECT public.f(); /*',
  posts: 'Posts; DROP TABLE public.canary; --',
  status: 'status',
  escTable: '\u001b]0;pwned\u0007\u001b[2J\u001b[31mred_table',
  dupIndexA: "idx_a'; SELECT public.f(); --",
  dupIndexB: 'idx_b\n;DROP TABLE public.canary;--',
  policy: 'pol\r\n; DROP TABLE public.canary;--',
  reserved: 'select',
  mixed: 'MixedCase\\back"slash',
  unicode: 'Ünïcødé_表_\u202eevil',
  long: 'x'.repeat(50) + '_status_tbl_ab',
  deleted: 'deleted_at */ SELECT public.f(); /*',
  role: "evil'role\n;--",
  counter: 'counter;--\nDROP TABLE public.canary;',
  check: 'chk\n*/; DROP TABLE public.canary;--',
  foreignKey: "fk'); DROP TABLE public.canary; --\u001b[2J",
  fn: 'g\n*/ DROP TABLE public.canary; --\u001b]0;fn\u0007',
  markdown: '[pay here](https://evil.example) <img src=x onerror=alert(1)> ```',
} as const;

/** Row values: labels, SQL, newlines, card-number-like values, secrets. */
export const VALUES = {
  statusLabels: ['active', 'past_due'],
  statusHostile: ["x'); SELECT public.f(); --\nDROP TABLE public.canary;", '4111111111111111'],
  plaintextPassword: `${SECRET_MARK}-row-password`,
};

/** Statements run as the superuser so that pg_stat_statements holds them with their literals. */
export const SECRET_UTILITY_STATEMENTS = [
  `CREATE ROLE planted_pw_role PASSWORD '${SECRET_MARK}-create-role'`,
  `ALTER ROLE planted_pw_role PASSWORD '${SECRET_MARK}-alter-role'`,
  `DO $$ BEGIN PERFORM '${SECRET_MARK}-do-body'; END $$`,
  `COPY (SELECT 1) TO PROGRAM 'cat > /dev/null # ${SECRET_MARK}-copy-program'`,
  `EXPLAIN ANALYZE SELECT * FROM public.canary WHERE id::text = '${SECRET_MARK}-explain'`,
  `SET application_name = '${SECRET_MARK}-set'`,
  `ALTER SYSTEM SET cluster_name = '${SECRET_MARK}-alter-system'`,
  'ALTER SYSTEM RESET cluster_name',
];

/** The schema, built as the attacker role (which owns every table and the planted function). */
export function hostileSchemaSql(): string {
  const s = q(N.schema);
  const members = `public.${q(N.members)}`;
  const posts = `public.${q(N.posts)}`;
  return `
CREATE ROLE attacker LOGIN NOSUPERUSER PASSWORD 'attacker';
CREATE ROLE ${q(N.role)} NOLOGIN;
GRANT CREATE ON SCHEMA public TO attacker;
CREATE TABLE public.canary (id int PRIMARY KEY);
INSERT INTO public.canary VALUES (1);
CREATE SCHEMA ${s} AUTHORIZATION attacker;
SET ROLE attacker;
-- Run as anyone with more rights, this makes the attacker a superuser and leaves a mark.
CREATE FUNCTION public.f() RETURNS int LANGUAGE plpgsql AS $f$
BEGIN
  EXECUTE 'ALTER ROLE attacker SUPERUSER';
  EXECUTE 'CREATE TABLE public.pwned ()';
  RETURN 1;
END $f$;
-- Declared IMMUTABLE so that a planner folds it: planning a statement that calls it runs it as the planner's role.
CREATE FUNCTION public.${q(N.fn)}() RETURNS bigint LANGUAGE plpgsql IMMUTABLE AS $g$
BEGIN
  RAISE LOG 'planted-function-ran as %', current_user;
  IF current_user <> 'attacker' THEN EXECUTE 'ALTER ROLE attacker SUPERUSER'; END IF;
  RETURN 1;
END $g$;
CREATE TABLE ${members} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  ${q(N.email)} text NOT NULL,
  ${q(N.password)} text,
  ${q(N.deleted)} timestamp
);
CREATE TABLE ${posts} (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id bigint,
  ${q(N.status)} text NOT NULL,
  body text,
  CONSTRAINT ${q(N.check)} CHECK (id > 0)
);
CREATE INDEX ${q(N.dupIndexA)} ON ${posts} (body);
CREATE INDEX ${q(N.dupIndexB)} ON ${posts} (body);
ALTER TABLE ${posts} ENABLE ROW LEVEL SECURITY;
CREATE POLICY ${q(N.policy)} ON ${posts} TO ${q(N.role)} USING (true);
GRANT SELECT, UPDATE ON ${posts}, ${members} TO ${q(N.role)};
CREATE TABLE public.${q(N.escTable)} (member_id bigint, note text);
CREATE TABLE public.${q(N.markdown)} (member_id bigint, label text);
CREATE TABLE ${s}.${q(N.reserved)} (${q(N.mixed)} int, ${q(N.unicode)} text, member_id bigint);
CREATE TABLE ${s}.${q(N.long)} (id serial PRIMARY KEY, ${q(N.counter)} int);
CREATE TABLE ${s}.memberships (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  member_id bigint CONSTRAINT ${q(N.foreignKey)} REFERENCES ${members} (id),
  community_id bigint,
  role text
);
RESET ROLE;
`;
}

/** Rows: duplicates the dedupe would see, orphans, hostile values, a plaintext password. */
export async function loadHostileRows(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SET ROLE attacker');
    const members = `public.${q(N.members)}`;
    const posts = `public.${q(N.posts)}`;
    // Every tenth email repeats another in a different case: duplicates the unique rule counts. Enough rows for
    // the index advisor to consider the table (its partial-index predicate then names a hostile column).
    await client.query(
      `INSERT INTO ${members} (${q(N.email)}, ${q(N.password)})
       SELECT CASE WHEN g % 10 = 0 THEN 'USER' || (g - 1) || '@EXAMPLE.COM' ELSE 'user' || g || '@example.com' END, $1 || '-' || g
       FROM generate_series(1, 3000) g`,
      [VALUES.plaintextPassword],
    );
    const statuses = [...VALUES.statusLabels, ...VALUES.statusHostile];
    for (let i = 1; i <= 300; i++) {
      await client.query(`INSERT INTO ${posts} (member_id, ${q(N.status)}, body) VALUES ($1, $2, $3)`, [
        i % 7 === 0 ? 999_999 : 1 + (i % 60),
        i % 50 === 0 ? statuses[2 + ((i / 50) % 2)] : statuses[i % 2],
        `body ${i}\n'); SELECT public.f(); --`,
      ]);
    }
    await client.query(`INSERT INTO public.${q(N.escTable)} SELECT 1 + g % 60, $1 FROM generate_series(1, 50) g`, [`\u001b[2J${SECRET_MARK}-note`]);
    await client.query(`INSERT INTO ${q(N.schema)}.memberships (member_id, community_id, role) SELECT 1 + g % 60, 1 + g % 5, $1 FROM generate_series(1, 200) g`, ['member']);
    await client.query(`INSERT INTO ${q(N.schema)}.${q(N.reserved)} SELECT g, 'v' || g, 1 + g % 60 FROM generate_series(1, 40) g`);
    // A serial close to its int4 maximum: sequence-overflow with an ALTER … TYPE bigint on a hostile column.
    await client.query(`SELECT setval(pg_get_serial_sequence($1, 'id'), 2000000000)`, [`${q(N.schema)}.${q(N.long)}`]);
    await client.query(`INSERT INTO ${q(N.schema)}.${q(N.long)} (${q(N.counter)}) VALUES (1)`);
    await client.query('RESET ROLE');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** The member workload, as the attacker's app would send it (bind parameters; secrets among the values). */
export async function runHostileWorkload(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const posts = `public.${q(N.posts)}`;
    const members = `public.${q(N.members)}`;
    const list = await client.query<{ id: string }>(`SELECT id FROM ${members} WHERE ${q(N.deleted)} IS NULL ORDER BY id LIMIT $1`, [40]);
    for (let round = 0; round < 3; round++) {
      for (const row of list.rows) {
        await client.query(`SELECT * FROM ${posts} WHERE member_id = $1`, [row.id]);
        await client.query(`SELECT id FROM ${members} WHERE lower(${q(N.email)}) = lower($1) AND ${q(N.password)} = $2 AND ${q(N.deleted)} IS NULL`, [`user${row.id}@example.com`, `${SECRET_MARK}-param`]);
      }
    }
    for (let i = 0; i < 30; i++) await client.query(`SELECT * FROM ${posts} WHERE id = $1`, [i]);
    for (let i = 0; i < 20; i++) await client.query(`SELECT count(*) FROM public.${q(N.escTable)} WHERE member_id = $1`, [i]);
    for (let i = 0; i < 20; i++) await client.query(`SELECT * FROM ${q(N.schema)}.memberships WHERE member_id = $1 AND ${q(N.schema)}.memberships.role = $2`, [i, 'member']);
    // The attacker's own statements put the planted IMMUTABLE function into pg_stat_statements.
    await client.query('SET ROLE attacker');
    for (let i = 0; i < 100; i++) await client.query(`SELECT * FROM ${members} WHERE ${q(N.password)} = $1 AND id > public.${q(N.fn)}() AND ${q(N.deleted)} IS NULL`, [`${i}`]);
    await client.query('RESET ROLE');
    for (const sql of SECRET_UTILITY_STATEMENTS) await client.query(sql);
  } finally {
    await client.end();
  }
}
