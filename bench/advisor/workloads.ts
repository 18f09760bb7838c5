/**
 * Three workloads for the index advisor benchmark (bench/advisor-suite.ts), written for it and not used anywhere
 * else in pgrescue: a multi-tenant SaaS, a feed-heavy community with soft deletes, a billing/renewal job. Each has
 * its schema (primary keys only), a bulk load (INSERT … SELECT, run inside the stats window), a request mix sent
 * with bind parameters the way an ORM sends them (plus the literals apps write inline: intervals, EXTRACT fields,
 * status words), and the index set a person tuned by hand for that mix.
 */

export type Rng = () => number;

export interface Query {
  readonly sql: string;
  readonly params: readonly unknown[];
}

export interface Workload {
  readonly name: string;
  readonly schema: string;
  readonly load: string;
  /** One request: the statements it sends, in order. */
  readonly request: (rng: Rng) => Query[];
  readonly handTuned: readonly string[];
}

const int = (rng: Rng, n: number): number => 1 + Math.floor(rng() * n);
/** Skewed toward low ids: some tenants, posts, customers are busier than others. */
const hot = (rng: Rng, n: number): number => 1 + Math.floor(n * rng() ** 2);

const ORGS = 2000;
const USERS = 40000;
const PROJECTS = 16000;

export const saas: Workload = {
  name: 'multi-tenant SaaS (organization_id scoping)',
  schema: `
    CREATE TABLE organizations (id bigint PRIMARY KEY, name text NOT NULL, plan text NOT NULL);
    CREATE TABLE users (id bigint PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, email text NOT NULL, role text NOT NULL, last_seen_at timestamptz);
    CREATE TABLE projects (id bigint PRIMARY KEY, organization_id bigint NOT NULL REFERENCES organizations, name text NOT NULL, archived_at timestamptz, updated_at timestamptz NOT NULL);
    CREATE TABLE tasks (id bigserial PRIMARY KEY, organization_id bigint NOT NULL, project_id bigint NOT NULL REFERENCES projects, assignee_id bigint REFERENCES users, status text NOT NULL, title text NOT NULL, due_at timestamptz, created_at timestamptz NOT NULL);
    CREATE TABLE audit_events (id bigserial PRIMARY KEY, organization_id bigint NOT NULL, actor_id bigint NOT NULL, action text NOT NULL, created_at timestamptz NOT NULL);`,
  load: `
    INSERT INTO organizations SELECT g, 'org ' || g, (ARRAY['free','team','enterprise'])[1 + g % 3] FROM generate_series(1, ${ORGS}) g;
    INSERT INTO users SELECT g, 1 + (g * 7919) % ${ORGS}, 'user' || g || '@example.com', (ARRAY['member','admin','guest'])[1 + g % 3], now() - (g % 1000) * interval '1 hour' FROM generate_series(1, ${USERS}) g;
    INSERT INTO projects SELECT g, 1 + (g * 104729) % ${ORGS}, 'project ' || g, CASE WHEN g % 5 = 0 THEN now() - interval '30 days' END, now() - (g % 5000) * interval '1 minute' FROM generate_series(1, ${PROJECTS}) g;
    INSERT INTO tasks (organization_id, project_id, assignee_id, status, title, due_at, created_at)
      SELECT p.organization_id, p.id, 1 + (g * 31) % ${USERS}, (ARRAY['open','open','in_progress','done','done','done','done','done'])[1 + g % 8], 'task ' || g, now() + ((g % 60) - 30) * interval '1 day', now() - (g % 20000) * interval '10 minutes'
      FROM generate_series(1, 320000) g JOIN projects p ON p.id = 1 + (g * 7) % ${PROJECTS};
    INSERT INTO audit_events (organization_id, actor_id, action, created_at)
      SELECT 1 + (g * 13) % ${ORGS}, 1 + g % ${USERS}, (ARRAY['login','update','delete','invite'])[1 + g % 4], now() - (g % 40000) * interval '1 minute' FROM generate_series(1, 240000) g;`,
  request: (rng) => {
    const org = hot(rng, ORGS);
    const user = int(rng, USERS);
    const project = int(rng, PROJECTS);
    const qs: Query[] = [
      { sql: 'SELECT id, title, status, due_at FROM tasks WHERE organization_id = $1 AND status = $2 ORDER BY created_at DESC LIMIT 50', params: [org, rng() < 0.7 ? 'open' : 'in_progress'] },
      { sql: "SELECT id, title, due_at FROM tasks WHERE assignee_id = $1 AND status <> 'done' ORDER BY due_at LIMIT 20", params: [user] },
      { sql: 'SELECT status, count(*) FROM tasks WHERE project_id = $1 GROUP BY status', params: [project] },
      { sql: 'SELECT id, name, updated_at FROM projects WHERE organization_id = $1 AND archived_at IS NULL ORDER BY updated_at DESC LIMIT 20', params: [org] },
      { sql: 'SELECT id, role FROM users WHERE organization_id = $1 AND lower(email) = lower($2)', params: [org, `user${user}@example.com`] },
    ];
    const r = rng();
    if (r < 0.25) qs.push({ sql: "SELECT id, action, created_at FROM audit_events WHERE organization_id = $1 AND created_at > now() - interval '7 days' ORDER BY created_at DESC LIMIT 100", params: [org] });
    else if (r < 0.4) qs.push({ sql: "SELECT t.id, t.title, u.email FROM tasks t JOIN users u ON u.id = t.assignee_id WHERE t.organization_id = $1 AND t.status = 'open' AND t.due_at < now() ORDER BY t.due_at LIMIT 50", params: [org] });
    else if (r < 0.5) qs.push({ sql: "SELECT EXTRACT(week FROM created_at) AS week, count(*) FROM tasks WHERE organization_id = $1 AND created_at > now() - interval '90 days' GROUP BY 1 ORDER BY 1", params: [org] });
    else if (r < 0.8) qs.push({ sql: 'INSERT INTO tasks (organization_id, project_id, assignee_id, status, title, due_at, created_at) VALUES ($1, $2, $3, $4, $5, now() + interval \'7 days\', now())', params: [org, project, user, 'open', 'new task'] });
    else qs.push({ sql: 'UPDATE tasks SET status = $1 WHERE id = $2', params: ['done', int(rng, 320000)] });
    qs.push({ sql: 'INSERT INTO audit_events (organization_id, actor_id, action, created_at) VALUES ($1, $2, $3, now())', params: [org, user, 'view'] });
    return qs;
  },
  handTuned: [
    'CREATE INDEX ON tasks (organization_id, status, created_at)',
    'CREATE INDEX ON tasks (assignee_id, due_at)',
    'CREATE INDEX ON tasks (project_id)',
    'CREATE INDEX ON tasks (organization_id, created_at)',
    'CREATE INDEX ON projects (organization_id, updated_at) WHERE archived_at IS NULL',
    'CREATE INDEX ON users (organization_id, lower(email))',
    'CREATE INDEX ON audit_events (organization_id, created_at)',
  ],
};

const COMMUNITIES = 4000;
const MEMBERS = 60000;
const POSTS = 300000;

export const feed: Workload = {
  name: 'feed-heavy community (soft deletes, sorting, follows)',
  schema: `
    CREATE TABLE communities (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE members (id bigint PRIMARY KEY, handle text NOT NULL, joined_at timestamptz NOT NULL);
    CREATE TABLE posts (id bigserial PRIMARY KEY, community_id bigint NOT NULL REFERENCES communities, author_id bigint NOT NULL REFERENCES members, body text NOT NULL, score int NOT NULL, deleted_at timestamptz, created_at timestamptz NOT NULL);
    CREATE TABLE comments (id bigserial PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts, author_id bigint NOT NULL REFERENCES members, body text NOT NULL, deleted_at timestamptz, created_at timestamptz NOT NULL);
    CREATE TABLE reactions (id bigserial PRIMARY KEY, post_id bigint NOT NULL REFERENCES posts, member_id bigint NOT NULL REFERENCES members, kind text NOT NULL, created_at timestamptz NOT NULL);
    CREATE TABLE follows (follower_id bigint NOT NULL REFERENCES members, followee_id bigint NOT NULL REFERENCES members, created_at timestamptz NOT NULL, PRIMARY KEY (followee_id, follower_id));`,
  load: `
    INSERT INTO communities SELECT g, 'community ' || g FROM generate_series(1, ${COMMUNITIES}) g;
    INSERT INTO members SELECT g, 'member' || g, now() - (g % 900) * interval '1 day' FROM generate_series(1, ${MEMBERS}) g;
    INSERT INTO posts (community_id, author_id, body, score, deleted_at, created_at)
      SELECT 1 + (g * 7) % ${COMMUNITIES}, 1 + (g * 13) % ${MEMBERS}, 'post body ' || g, (g * 37) % 1000, CASE WHEN g % 12 = 0 THEN now() END, now() - (g % 100000) * interval '5 minutes' FROM generate_series(1, ${POSTS}) g;
    INSERT INTO comments (post_id, author_id, body, deleted_at, created_at)
      SELECT 1 + (g * 11) % ${POSTS}, 1 + (g * 17) % ${MEMBERS}, 'comment ' || g, CASE WHEN g % 20 = 0 THEN now() END, now() - (g % 100000) * interval '3 minutes' FROM generate_series(1, 500000) g;
    INSERT INTO reactions (post_id, member_id, kind, created_at)
      SELECT 1 + (g * 19) % ${POSTS}, 1 + (g * 23) % ${MEMBERS}, (ARRAY['like','love','laugh'])[1 + g % 3], now() FROM generate_series(1, 400000) g;
    INSERT INTO follows SELECT DISTINCT 1 + (g * 29) % ${MEMBERS}, 1 + (g * 31) % ${MEMBERS}, now() FROM generate_series(1, 200000) g ON CONFLICT DO NOTHING;`,
  request: (rng) => {
    const community = hot(rng, COMMUNITIES);
    const member = int(rng, MEMBERS);
    const post = POSTS - Math.floor(POSTS * rng() ** 3) ;
    const qs: Query[] = [
      { sql: 'SELECT id, author_id, body, score FROM posts WHERE community_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20', params: [community] },
      { sql: 'SELECT id, author_id, body, created_at FROM comments WHERE post_id = $1 AND deleted_at IS NULL ORDER BY created_at LIMIT 50', params: [post] },
      { sql: 'SELECT kind, count(*) FROM reactions WHERE post_id = $1 GROUP BY kind', params: [post] },
      { sql: 'SELECT id FROM reactions WHERE post_id = $1 AND member_id = $2', params: [post, member] },
    ];
    const r = rng();
    if (r < 0.3) qs.push({ sql: 'SELECT p.id, p.body, p.created_at FROM posts p JOIN follows f ON f.followee_id = p.author_id WHERE f.follower_id = $1 AND p.deleted_at IS NULL ORDER BY p.created_at DESC LIMIT 20', params: [member] });
    else if (r < 0.45) qs.push({ sql: 'SELECT id, body, score FROM posts WHERE community_id = $1 AND deleted_at IS NULL ORDER BY score DESC LIMIT 10', params: [community] });
    else if (r < 0.6) qs.push({ sql: 'SELECT id, body, created_at FROM posts WHERE author_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT 20', params: [member] });
    else if (r < 0.75) qs.push({ sql: 'INSERT INTO comments (post_id, author_id, body, created_at) VALUES ($1, $2, $3, now())', params: [post, member, 'nice'] });
    else if (r < 0.9) qs.push({ sql: 'INSERT INTO reactions (post_id, member_id, kind, created_at) VALUES ($1, $2, $3, now())', params: [post, member, 'like'] });
    else if (r < 0.95) qs.push({ sql: 'INSERT INTO posts (community_id, author_id, body, score, created_at) VALUES ($1, $2, $3, 0, now())', params: [community, member, 'hello'] });
    else qs.push({ sql: 'UPDATE posts SET deleted_at = now() WHERE id = $1 AND author_id = $2', params: [post, member] });
    return qs;
  },
  handTuned: [
    'CREATE INDEX ON posts (community_id, created_at DESC) WHERE deleted_at IS NULL',
    'CREATE INDEX ON posts (community_id, score DESC) WHERE deleted_at IS NULL',
    'CREATE INDEX ON posts (author_id, created_at DESC) WHERE deleted_at IS NULL',
    'CREATE INDEX ON comments (post_id, created_at) WHERE deleted_at IS NULL',
    'CREATE INDEX ON reactions (post_id, member_id)',
    'CREATE INDEX ON follows (follower_id)',
  ],
};

const CUSTOMERS = 80000;

export const billing: Workload = {
  name: 'billing and renewals (ranges, skewed statuses, webhooks)',
  schema: `
    CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, country text NOT NULL);
    CREATE TABLE plans (id int PRIMARY KEY, name text NOT NULL, price_cents int NOT NULL);
    CREATE TABLE subscriptions (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers, plan_id int NOT NULL REFERENCES plans, status text NOT NULL, current_period_end timestamptz NOT NULL, canceled_at timestamptz);
    CREATE TABLE invoices (id bigserial PRIMARY KEY, subscription_id bigint NOT NULL REFERENCES subscriptions, customer_id bigint NOT NULL REFERENCES customers, status text NOT NULL, amount_cents int NOT NULL, due_at timestamptz NOT NULL, paid_at timestamptz, created_at timestamptz NOT NULL);
    CREATE TABLE payments (id bigserial PRIMARY KEY, invoice_id bigint NOT NULL REFERENCES invoices, provider_ref text NOT NULL, status text NOT NULL, created_at timestamptz NOT NULL);`,
  load: `
    INSERT INTO customers SELECT g, 'c' || g || '@example.com', (ARRAY['US','DE','FR','BR','IN'])[1 + g % 5] FROM generate_series(1, ${CUSTOMERS}) g;
    INSERT INTO plans SELECT g, 'plan ' || g, 500 * g FROM generate_series(1, 20) g;
    INSERT INTO subscriptions SELECT g, 1 + (g * 7) % ${CUSTOMERS}, 1 + g % 20, CASE WHEN g % 10 < 7 THEN 'active' WHEN g % 10 < 9 THEN 'canceled' ELSE 'past_due' END, now() + ((g * 17) % 60 - 30) * interval '1 day', CASE WHEN g % 10 BETWEEN 7 AND 8 THEN now() - interval '10 days' END FROM generate_series(1, 160000) g;
    INSERT INTO invoices (subscription_id, customer_id, status, amount_cents, due_at, paid_at, created_at)
      SELECT s.id, s.customer_id, CASE WHEN g % 100 = 0 THEN 'open' WHEN g % 100 = 1 THEN 'void' WHEN g % 100 = 2 THEN 'uncollectible' ELSE 'paid' END, 1000 + g % 5000,
             now() - (g % 730) * interval '1 day', CASE WHEN g % 100 > 2 THEN now() - (g % 730) * interval '1 day' END, now() - (g % 730) * interval '1 day' - interval '3 days'
      FROM generate_series(1, 480000) g JOIN subscriptions s ON s.id = 1 + (g * 13) % 160000;
    INSERT INTO payments (invoice_id, provider_ref, status, created_at)
      SELECT g, 'pi_' || md5(g::text), CASE WHEN g % 50 = 0 THEN 'failed' ELSE 'succeeded' END, now() - (g % 730) * interval '1 day' FROM generate_series(1, 400000) g;`,
  request: (rng) => {
    const customer = int(rng, CUSTOMERS);
    const invoice = int(rng, 400000);
    const month = Math.floor(rng() * 20);
    const from = new Date(Date.now() - (month + 1) * 30 * 86400000);
    const qs: Query[] = [
      { sql: 'SELECT id, status, amount_cents, due_at FROM invoices WHERE customer_id = $1 ORDER BY created_at DESC LIMIT 20', params: [customer] },
      { sql: 'SELECT id, plan_id, status, current_period_end FROM subscriptions WHERE customer_id = $1', params: [customer] },
      { sql: 'SELECT id, status FROM payments WHERE invoice_id = $1', params: [invoice] },
      { sql: 'SELECT id, invoice_id FROM payments WHERE provider_ref = $1', params: [`pi_${invoice}`] },
    ];
    const r = rng();
    if (r < 0.2) qs.push({ sql: "SELECT id, customer_id, current_period_end FROM subscriptions WHERE status = 'past_due' AND current_period_end < now() + interval '1 day' ORDER BY current_period_end LIMIT 100", params: [] });
    else if (r < 0.4) qs.push({ sql: 'SELECT id, customer_id, amount_cents FROM invoices WHERE status = $1 AND due_at < now() - interval \'3 days\' LIMIT 100', params: [rng() < 0.5 ? 'open' : 'uncollectible'] });
    else if (r < 0.5) qs.push({ sql: 'SELECT EXTRACT(day FROM paid_at) AS day, sum(amount_cents) FROM invoices WHERE paid_at >= $1 AND paid_at < $2 GROUP BY 1 ORDER BY 1', params: [from, new Date(from.getTime() + 86400000 * 2)] });
    else if (r < 0.7) qs.push({ sql: "INSERT INTO payments (invoice_id, provider_ref, status, created_at) VALUES ($1, $2, 'succeeded', now())", params: [invoice, `pi_new_${Math.floor(rng() * 1e9)}`] });
    else if (r < 0.85) qs.push({ sql: "UPDATE invoices SET status = 'paid', paid_at = now() WHERE id = $1", params: [invoice] });
    else qs.push({ sql: "INSERT INTO invoices (subscription_id, customer_id, status, amount_cents, due_at, created_at) VALUES ($1, $2, 'open', $3, now() + interval '14 days', now())", params: [int(rng, 160000), customer, 1999] });
    return qs;
  },
  handTuned: [
    'CREATE INDEX ON invoices (customer_id, created_at)',
    'CREATE INDEX ON invoices (status, due_at)',
    'CREATE INDEX ON invoices (paid_at)',
    'CREATE INDEX ON subscriptions (customer_id)',
    'CREATE INDEX ON subscriptions (status, current_period_end)',
    'CREATE INDEX ON payments (invoice_id)',
    'CREATE INDEX ON payments (provider_ref)',
  ],
};

export const WORKLOADS: readonly Workload[] = [saas, feed, billing];
