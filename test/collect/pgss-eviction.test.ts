import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { collectSnapshot } from '../../src/collect/collect-snapshot.js';
import { resolveConnection } from '../../src/db/connection-options.js';
import { Session } from '../../src/db/session.js';
import { databaseWith, useEmbeddedServer } from '../harness/server.js';

// A small pg_stat_statements (its minimum, 100 entries) nearly filled by the app: a scan that added its own
// entries would evict the app's statements, the history pgrescue is there to read.
const TABLES = 10;
const SCHEMA = Array.from({ length: TABLES }, (_, i) => `
CREATE TABLE t${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, member_id bigint, status text, api_token text, email text);
INSERT INTO t${i} (member_id, status, api_token, email) SELECT g % 7, CASE WHEN g % 2 = 0 THEN 'active' ELSE 'paused' END, md5(g::text), 'm' || g || '@x.io' FROM generate_series(1, 50) g;`).join('\n') + `
DO $$ BEGIN CREATE ROLE auditor LOGIN PASSWORD 'auditor'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT pg_read_all_stats, pg_read_all_data TO auditor;
DO $$ BEGIN CREATE ROLE quiet_auditor LOGIN PASSWORD 'quiet'; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
GRANT pg_read_all_stats, pg_read_all_data TO quiet_auditor;
GRANT SET ON PARAMETER pg_stat_statements.track TO quiet_auditor;`;

/** The app's workload: 6 distinct statements per table, each run a few times. */
async function runApp(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('SELECT pg_stat_statements_reset()');
    for (let i = 0; i < TABLES; i++) {
      for (let n = 0; n < 3; n++) {
        await c.query(`SELECT * FROM t${i} WHERE member_id = $1`, [n]);
        await c.query(`SELECT count(*) FROM t${i} WHERE status = $1`, ['active']);
        await c.query(`SELECT id FROM t${i} ORDER BY id DESC LIMIT $1`, [5]);
        await c.query(`UPDATE t${i} SET status = $1 WHERE id = $2`, ['active', n + 1]);
        await c.query(`SELECT email FROM t${i} WHERE id = $1`, [n]);
        await c.query(`SELECT max(id) FROM t${i} WHERE member_id > $1`, [n]);
      }
    }
  } finally {
    await c.end();
  }
}

async function entries(url: string): Promise<{ app: Set<string>; all: number; texts: Set<string> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // The test's own reads stay out of what they measure.
    await c.query('SELECT set_config($1, $2, false)', ['pg_stat_statements.track', 'none']);
    const r = await c.query<{ query: string }>(`SELECT query FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())`);
    return { app: new Set(r.rows.map((x) => x.query).filter((q) => /\bt\d+\b/.test(q) && !q.includes('pgrescue'))), all: r.rows.length, texts: new Set(r.rows.map((x) => x.query)) };
  } finally {
    await c.end();
  }
}

async function scanAs(url: string): Promise<void> {
  const session = await Session.open(resolveConnection(url));
  try {
    const snap = await collectSnapshot(session, { schemas: ['public'], maxStatements: 1000 });
    assert.ok(snap.dataChecks.nulls.length + snap.dataChecks.values.length > 0, 'the scan read table rows');
    assert.ok(snap.secretSamples.some((s) => s.sampled > 0), 'the scan sampled secrets');
  } finally {
    await session.close();
  }
}

describe('a scan leaves the app’s pg_stat_statements in place', () => {
  const server = useEmbeddedServer({ settings: { 'pg_stat_statements.max': '100', 'pg_stat_statements.track_utility': 'on' } });

  it('as a superuser: pgrescue turns tracking off for its session, two scans add no entry', async () => {
    const url = await databaseWith(server(), `${SCHEMA}\nCREATE EXTENSION IF NOT EXISTS pg_stat_statements;`, 'evict_su');
    await runApp(url);
    const before = await entries(url);
    assert.equal(before.app.size, TABLES * 6);
    await scanAs(url);
    await scanAs(url);
    const after = await entries(url);
    assert.deepEqual([...after.app].sort(), [...before.app].sort(), 'every app statement is still there');
    assert.equal(after.all, before.all, `the scans added no entry of their own: ${[...after.texts].filter((t) => !before.texts.has(t)).join(' | ')}`);
  });

  it('as a role that may not turn tracking off: a small, constant set of texts (the second scan adds none)', async () => {
    const url = await databaseWith(server(), `${SCHEMA}\nCREATE EXTENSION IF NOT EXISTS pg_stat_statements;`, 'evict_role');
    const auditor = url.replace('postgres:pgrescue-demo@', 'auditor:auditor@');
    await runApp(url);
    const before = await entries(url);
    await scanAs(auditor);
    const first = await entries(url);
    await scanAs(auditor);
    const second = await entries(url);
    const added = first.all - before.all;
    assert.ok(added <= MAX_OWN_TEXTS, `a scan adds at most ${MAX_OWN_TEXTS} texts of its own (added ${added})`);
    assert.equal(second.all, first.all, `a second scan adds no new text: ${[...second.texts].filter((t) => !first.texts.has(t)).join(' | ')}`);
    assert.deepEqual([...second.app].sort(), [...before.app].sort(), 'every app statement is still there');
  });

  it('as a role granted SET on pg_stat_statements.track (PG15+): four constant texts before the answer, then nothing', async () => {
    const url = await databaseWith(server(), `${SCHEMA}\nCREATE EXTENSION IF NOT EXISTS pg_stat_statements;`, 'evict_granted');
    const quiet = url.replace('postgres:pgrescue-demo@', 'quiet_auditor:quiet@');
    await runApp(url);
    const before = await entries(url);
    await scanAs(quiet);
    await scanAs(quiet);
    const after = await entries(url);
    assert.ok(after.all - before.all <= 4, `added ${after.all - before.all}: the first connection's settings and check, and the privilege question only: ${[...after.texts].filter((t) => !before.texts.has(t)).join(' | ')}`);
    assert.deepEqual([...after.app].sort(), [...before.app].sort());
  });
});

/** What a scan may add to pg_stat_statements when it cannot turn tracking off (README states the measured figure). */
const MAX_OWN_TEXTS = 30;
