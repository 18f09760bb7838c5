/**
 * The demo membership-community database, as a quickly built app would have it — with the usual defects
 * planted: unindexed foreign keys, a missing unique on emails, float money, a plaintext token, a table
 * without a primary key, a duplicate and an unused index, no row-level security.
 */
export const DEMO_SCHEMA_SQL = `
CREATE EXTENSION IF NOT EXISTS pg_stat_statements;

CREATE TABLE members (
  id bigserial PRIMARY KEY,
  email text NOT NULL,
  display_name text NOT NULL,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE communities (
  id bigserial PRIMARY KEY,
  owner_id bigint NOT NULL REFERENCES members(id),
  slug text NOT NULL,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE plans (
  id bigserial PRIMARY KEY,
  community_id bigint NOT NULL REFERENCES communities(id),
  name text NOT NULL,
  price double precision NOT NULL,
  billing_interval text NOT NULL
);

CREATE TABLE memberships (
  id bigserial PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES members(id),
  community_id bigint NOT NULL REFERENCES communities(id),
  plan_id bigint REFERENCES plans(id),
  status text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamp
);

CREATE TABLE posts (
  id bigserial PRIMARY KEY,
  community_id bigint NOT NULL REFERENCES communities(id),
  author_id bigint NOT NULL REFERENCES members(id),
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  deleted_at timestamptz
);

CREATE TABLE comments (
  id bigserial PRIMARY KEY,
  post_id bigint NOT NULL REFERENCES posts(id),
  author_id bigint,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE invites (
  id bigserial PRIMARY KEY,
  community_id bigint NOT NULL REFERENCES communities(id),
  email text NOT NULL,
  token text NOT NULL,
  invited_by bigint REFERENCES members(id),
  accepted_at timestamptz
);

CREATE TABLE payments (
  id bigserial PRIMARY KEY,
  member_id bigint NOT NULL REFERENCES members(id),
  membership_id bigint REFERENCES memberships(id),
  amount double precision NOT NULL,
  currency text NOT NULL DEFAULT 'usd',
  stripe_charge_id text,
  paid_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE audit_events (
  member_id bigint,
  action text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Planted index defects: a duplicate of the slug index and an index nothing uses.
CREATE INDEX communities_slug_idx ON communities (slug);
CREATE INDEX communities_slug_copy_idx ON communities (slug);
CREATE INDEX posts_title_idx ON posts (title);
`;

/** Deterministic seed: tens of thousands of rows, generated server-side. */
export const DEMO_SEED_SQL = `
SELECT setseed(0.42);
INSERT INTO members (email, display_name, password_hash, created_at)
SELECT 'member' || g || '@example.com', 'Member ' || g, '$2b$10$' || substr(md5(g::text) || md5((g * 7)::text), 1, 53),
       now() - (g % 900) * interval '1 day'
FROM generate_series(1, 20000) g;
-- duplicates that differ by case, as a case-sensitive signup check lets through
INSERT INTO members (email, display_name, password_hash)
SELECT 'Member' || g || '@Example.com', 'Member ' || g, '$2b$10$' || substr(md5(g::text) || md5((g * 3)::text), 1, 53) FROM generate_series(1, 40) g;

INSERT INTO communities (owner_id, slug, name)
SELECT 1 + (g * 97) % 20000, 'community-' || g, 'Community ' || g FROM generate_series(1, 200) g;

INSERT INTO plans (community_id, name, price, billing_interval)
SELECT 1 + (g - 1) / 3, (ARRAY['Free', 'Pro', 'Team'])[1 + g % 3], (g % 3) * 9.99,
       (ARRAY['month', 'year', 'month'])[1 + g % 3]
FROM generate_series(1, 600) g;

INSERT INTO memberships (member_id, community_id, plan_id, status, started_at, expires_at)
SELECT 1 + (g - 1) % 20000, c, 1 + (c - 1) * 3 + g % 3,
       (ARRAY['active', 'active', 'active', 'cancelled', 'past_due'])[1 + g % 5],
       now() - (g % 700) * interval '1 day', (now() + ((g % 400) - 100) * interval '1 day')::timestamp
FROM generate_series(1, 40000) g, LATERAL (SELECT 1 + ((g - 1) % 200 + ((g - 1) / 20000) * 7) % 200 AS c) pick;
-- a double-submitted join form, with no unique (member_id, community_id) to stop it
INSERT INTO memberships (member_id, community_id, plan_id, status, started_at, expires_at)
SELECT member_id, community_id, plan_id, status, started_at, expires_at FROM memberships WHERE id <= 25;

INSERT INTO posts (community_id, author_id, title, body, created_at, deleted_at)
SELECT 1 + g % 200, 1 + (g * 31) % 20000, 'Post ' || g, repeat('lorem ipsum ', 8),
       now() - (g % 5000) * interval '1 hour', CASE WHEN g % 25 = 0 THEN now() END
FROM generate_series(1, 30000) g;

INSERT INTO comments (post_id, author_id, body, created_at)
SELECT 1 + (g * 13) % 30000, 1 + (g * 17) % 20000, 'comment ' || g, now() - (g % 3000) * interval '1 minute'
FROM generate_series(1, 80000) g;

INSERT INTO invites (community_id, email, token, invited_by)
SELECT 1 + g % 200, 'guest' || g || '@example.com', 'inv_' || substr(md5(g::text), 1, 20), 1 + g % 20000
FROM generate_series(1, 5000) g;

INSERT INTO payments (member_id, membership_id, amount, stripe_charge_id, paid_at)
SELECT 1 + (g * 7919) % 20000, 1 + g % 40000, ((g % 3) * 9.99)::float8, 'ch_' || md5(g::text),
       now() - (g % 365) * interval '1 day'
FROM generate_series(1, 60000) g;

INSERT INTO audit_events (member_id, action)
SELECT 1 + g % 20000, (ARRAY['login', 'post', 'comment'])[1 + g % 3] FROM generate_series(1, 20000) g;

ANALYZE;
`;
