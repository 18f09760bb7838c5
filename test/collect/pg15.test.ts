import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { databaseWith, execSql } from '../harness/server.js';
import { snapshotOf } from '../harness/scan.js';
import { useSystemServer } from '../harness/system-server.js';

const system = useSystemServer();

describe('collect from the system PostgreSQL 15 (older pg_stat_statements, HypoPG available)', { skip: system.skip }, () => {
  it('reads pg_stat_statements 1.10 and sees HypoPG as available, not installed', async () => {
    const url = await databaseWith(system.server(), 'CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, g::text FROM generate_series(1, 100) g;', 'pg15');
    for (let i = 0; i < 4; i++) await execSql(url, 'SELECT v FROM t WHERE id = $1', [i]);
    const snap = await snapshotOf(url);
    assert.match(snap.database.serverVersion, /^15\./);
    assert.equal(snap.capabilities.pgStatStatements, true);
    assert.equal(snap.capabilities.hypopg, false);
    assert.equal(snap.capabilities.hypopgAvailable, true);
    const stmt = snap.statements.find((s) => s.query.includes('SELECT v FROM t WHERE id'));
    assert.equal(stmt?.calls, 4);
    assert.ok(snap.database.statementsResetAt, 'pg_stat_statements_info gives the reset time on 15');
    assert.equal(snap.tables[0]?.rowEstimate, 100);
  });
});
