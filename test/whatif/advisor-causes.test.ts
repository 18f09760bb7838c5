import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { databaseWith, execSql } from '../harness/server.js';
import { snapshotOf } from '../harness/scan.js';
import { useSystemServer } from '../harness/system-server.js';
import type { AdvisorResult, StatementAdvice } from '../../src/model/advisor.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { advisorOptions, DEFAULT_ADVISOR_OPTIONS } from '../../src/advisor/options.js';
import { buildCandidates } from '../../src/advisor/candidates.js';
import { collectSnapshot } from '../../src/collect/collect-snapshot.js';
import { resolveConnection } from '../../src/db/connection-options.js';
import { Session } from '../../src/db/session.js';
import { deriveScan } from '../../src/derive/scan-state.js';
import { advise } from '../../src/pipeline/advise.js';

/**
 * The index advisor against the causes that fooled it on workloads it was not built on (issue 14), each on the
 * system PostgreSQL 15 with HypoPG: a bulk load in the stats window, pg_stat_statements' normalization artifacts,
 * a statement that needs two indexes together, a win only custom plans show, an existing partial index.
 */
const system = useSystemServer();

async function run(url: string, calls: readonly { sql: string; params: (i: number) => unknown[] }[], times: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (let i = 0; i < times; i++) for (const q of calls) await c.query(q.sql, q.params(i));
  } finally {
    await c.end();
  }
}

const chosenKeys = (a: AdvisorResult): string[] => a.chosen.map((c) => c.candidate.key).sort();

function adviceFor(snapshot: Snapshot, text: string): StatementAdvice {
  const stat = snapshot.statements.find((s) => s.query.includes(text));
  assert.ok(stat, `statement ${text} captured`);
  const advice = snapshot.advisor?.statements.find((a) => a.queryid === stat.queryid);
  assert.ok(advice, `an outcome for ${text}`);
  return advice;
}

const EVENTS = `
  CREATE EXTENSION IF NOT EXISTS hypopg;
  CREATE TABLE events (id bigserial PRIMARY KEY, account_id bigint NOT NULL, kind text NOT NULL, created_at timestamptz NOT NULL, payload text);`;
const LOAD = `INSERT INTO events (account_id, kind, created_at, payload) SELECT 1 + g % 5000, 'seed', now() - g * interval '1 second', repeat('x', 40) FROM generate_series(1, 200000) g`;
const FEED = { sql: 'SELECT id, kind, created_at FROM events WHERE account_id = $1 ORDER BY created_at DESC LIMIT 20', params: (i: number) => [1 + ((i * 37) % 5000)] };
const WRITE = { sql: 'INSERT INTO events (account_id, kind, created_at) VALUES ($1, $2, now())', params: (i: number) => [1 + (i % 5000), 'click'] };

describe('index advisor on the causes that fooled it (system PostgreSQL 15 + HypoPG)', { skip: system.skip }, () => {
  it('gives the same advice whether or not a bulk load sits in the stats window, and says the load is one-off', async () => {
    const inWindow = await databaseWith(system.server(), EVENTS, 'bulk_in');
    await execSql(inWindow, LOAD);
    await execSql(inWindow, 'ANALYZE events');
    await run(inWindow, [FEED, WRITE], 40);
    const a = await snapshotOf(inWindow);

    const outside = await databaseWith(system.server(), `${EVENTS} ${LOAD};`, 'bulk_out');
    await run(outside, [FEED, WRITE], 40);
    const b = await snapshotOf(outside);

    assert.deepEqual(chosenKeys(a.advisor!), ['public.events(account_id, created_at DESC)']);
    assert.deepEqual(chosenKeys(b.advisor!), chosenKeys(a.advisor!));
    const load = adviceFor(a, 'INSERT INTO events (account_id, kind, created_at, payload) SELECT');
    assert.equal(load.outcome, 'one-off');
    assert.match(load.reason, /200000 rows/);
    // The write cost compared is the recurring inserts' (40 rows), not the 200,000 of the load.
    const chosen = a.advisor!.chosen[0]!;
    assert.ok((chosen.writeOverheadMsInWindow ?? Infinity) < 1, JSON.stringify(chosen));
    assert.ok(a.advisor!.window!.caveats.some((c) => /one-off/.test(c)));
    assert.equal(adviceFor(a, 'WHERE account_id = $1 ORDER BY').outcome, 'improved');
  });

  it('plans statements whose normalization broke the grammar or left parameters untyped', async () => {
    const url = await databaseWith(system.server(), `${EVENTS} ${LOAD};`, 'artifacts');
    const texts = [
      "SELECT EXTRACT(hour FROM created_at) AS h, count(*) FROM events WHERE account_id = $1 AND created_at > now() - INTERVAL '30 days' GROUP BY 1 ORDER BY 1",
      "SELECT id FROM events WHERE account_id = $1 AND created_at > now() - interval '1' day AND created_at < timestamp '2100-01-01 00:00'",
      "SELECT json_build_object('id', id, 'kind', kind, 'tag', 'x') FROM events WHERE account_id = $1 AND created_at::date > date '2000-01-01'",
      "SELECT id FROM events WHERE account_id = $1 AND CASE WHEN 'abc' <> '' THEN kind = 'seed' ELSE true END",
      'SELECT date_trunc($2, created_at) AS "timestamp", count(*) FROM events WHERE account_id = $1 GROUP BY 1 ORDER BY "timestamp"',
    ];
    await run(url, texts.map((sql) => ({ sql, params: (i: number) => (sql.includes('$2') ? [1 + (i % 5000), 'hour'] : [1 + (i % 5000)]) })), 12);
    const snap = await snapshotOf(url);
    const advisor = snap.advisor!;
    const captured = snap.statements.filter((s) => s.query.includes('FROM events WHERE account_id'));
    assert.equal(captured.length, texts.length);
    assert.ok(captured.some((s) => /EXTRACT\(\$\d+ FROM/.test(s.query)) && captured.some((s) => /interval \$\d+ day/i.test(s.query)), 'the artifacts are in the captured texts');
    for (const s of captured) {
      const a = advisor.statements.find((x) => x.queryid === s.queryid);
      assert.ok(a, s.query);
      assert.notEqual(a.outcome, 'unplannable', `${s.query}: ${a.reason}`);
      assert.notEqual(a.outcome, 'parse-failure', `${s.query}: ${a.reason}`);
      assert.ok(a.costBefore !== null && a.costBefore > 0, s.query);
    }
    assert.equal(advisor.window!.unplannableShare, 0);
    const repaired = advisor.statements.filter((a) => (a.detail?.repairs ?? []).length > 0);
    assert.ok(repaired.length >= 3, JSON.stringify(advisor.statements.map((a) => a.detail?.repairs)));
    // Candidates name table columns only: never the output alias "timestamp".
    for (const c of advisor.chosen) assert.ok(c.candidate.keys.every((k) => k.column !== 'timestamp'), c.candidate.key);
    assert.ok(chosenKeys(advisor).some((k) => k.startsWith('public.events(account_id')), chosenKeys(advisor).join('; '));
  });

  it('costs a statement that needs an index on each of two joined tables as one combination', async () => {
    const url = await databaseWith(
      system.server(),
      `CREATE EXTENSION IF NOT EXISTS hypopg;
       CREATE TABLE left_side (id bigint PRIMARY KEY, k bigint NOT NULL, f int NOT NULL, pad text);
       CREATE TABLE right_side (id bigint PRIMARY KEY, k bigint NOT NULL, g int NOT NULL, pad text);
       INSERT INTO left_side SELECT n, n % 50000, n % 20000, repeat('l', 60) FROM generate_series(1, 150000) n;
       INSERT INTO right_side SELECT n, n % 50000, n % 20000, repeat('r', 60) FROM generate_series(1, 150000) n;`,
      'combo',
    );
    await run(url, [{ sql: 'SELECT l.id, r.id FROM left_side l JOIN right_side r ON r.k = l.k WHERE l.f = $1 AND r.g = $2', params: (i) => [i % 20000, (i * 7) % 20000] }], 30);
    // A bar no single index clears here (each alone leaves the other table's scan: about half the cost).
    const snap = await snapshotOf(url, [], {});
    const base = adviceFor(snap, 'FROM left_side l JOIN right_side r');
    assert.equal(base.outcome, 'improved', base.reason);
    const keys = chosenKeys(snap.advisor!);
    assert.ok(keys.some((k) => k.startsWith('public.left_side(')) && keys.some((k) => k.startsWith('public.right_side(')), keys.join('; '));
    assert.ok(base.costAfter! < base.costBefore! * 0.1, `${base.costBefore} → ${base.costAfter}`);
    const combined = snap.advisor!.chosen.filter((c) => (c.withIndexes ?? []).length > 0);
    assert.equal(combined.length, 2, 'chosen together, as one combination');
  });

  it('finds the win only custom plans show (a skewed status looked up by its rare values)', async () => {
    const url = await databaseWith(
      system.server(),
      `CREATE EXTENSION IF NOT EXISTS hypopg;
       CREATE TABLE invoices (id bigint PRIMARY KEY, status text NOT NULL, amount int NOT NULL, pad text);
       INSERT INTO invoices SELECT n, CASE WHEN n % 100 = 0 THEN 'open' WHEN n % 100 = 1 THEN $q$vo'id\\"); DROP TABLE invoices; --$q$ WHEN n % 100 = 2 THEN E'fail\\x1b[2Jed' ELSE 'paid' END, n % 1000, repeat('p', 50) FROM generate_series(1, 300000) n;`,
      'custom',
    );
    // Rare values that would break SQL or a terminal if they were ever written into either: they are bound, never quoted in.
    await run(url, [{ sql: 'SELECT id, amount FROM invoices WHERE status = $1', params: (i) => [['open', 'vo\'id\\"); DROP TABLE invoices; --', 'fail\x1b[2Jed'][i % 3]] }], 30);
    const snap = await snapshotOf(url);
    const a = adviceFor(snap, 'FROM invoices WHERE status');
    assert.equal(a.outcome, 'improved', a.reason);
    assert.equal(a.detail?.customPlan, true);
    assert.match(a.reason, /custom plans/);
    assert.deepEqual(chosenKeys(snap.advisor!), ['public.invoices(status)']);
    assert.equal(snap.advisor!.chosen[0]!.customPlan, true);
    // The values came from pg_stats and are never shown.
    assert.doesNotMatch(JSON.stringify(snap.advisor), /'open'|"open"|DROP TABLE|\\u001b|\x1b/);
  });

  it('counts an existing partial index WHERE col IS NOT NULL as serving lookups on that column', async () => {
    const url = await databaseWith(
      system.server(),
      `CREATE EXTENSION IF NOT EXISTS hypopg;
       CREATE TABLE accounts (id bigint PRIMARY KEY, external_ref text, name text NOT NULL);
       INSERT INTO accounts SELECT n, CASE WHEN n % 3 = 0 THEN 'ext-' || n END, 'a' || n FROM generate_series(1, 120000) n;
       CREATE INDEX accounts_external_ref_idx ON accounts (external_ref) WHERE external_ref IS NOT NULL;`,
      'partial',
    );
    await run(url, [{ sql: 'SELECT id, name FROM accounts WHERE external_ref = $1', params: (i) => [`ext-${i * 3}`] }], 30);
    const snap = await snapshotOf(url);
    assert.deepEqual(chosenKeys(snap.advisor!), []);
    const a = adviceFor(snap, 'WHERE external_ref = $1');
    assert.equal(a.outcome, 'optimal', a.reason);
    // Not even a candidate: the partial index is known to serve it before any planning.
    assert.match(a.reason, /^every index its predicates could use already exists/);
    assert.deepEqual(buildCandidates(deriveScan(snap), DEFAULT_ADVISOR_OPTIONS).candidates.map((c) => c.key), []);
  });

  it('stays within its what-if plan budget, says so, and still proves what it chose', async () => {
    const url = await databaseWith(system.server(), `${EVENTS} ${LOAD};`, 'budget');
    await run(url, [FEED, { sql: 'SELECT count(*) FROM events WHERE kind = $1 AND created_at > $2', params: () => ['seed', new Date(0)] }], 20);
    const session = await Session.open(resolveConnection(url));
    try {
      const scan = await advise(session, deriveScan(await collectSnapshot(session, { schemas: ['public'], maxStatements: 1000 })), advisorOptions({ 'missing-index.maxWhatIfPlans': 2 }));
      const warning = scan.snapshot.warnings.find((w) => w.code === 'advisor-plan-budget');
      assert.ok(warning, JSON.stringify(scan.snapshot.warnings));
      assert.match(warning.message, /budget of 2 what-if plans/);
      for (const c of scan.snapshot.advisor!.chosen) for (const st of c.statements) assert.ok(st.costAfter < st.costBefore, JSON.stringify(st));
    } finally {
      await session.close();
    }
  });
});
