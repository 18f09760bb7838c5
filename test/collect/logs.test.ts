import assert from 'node:assert/strict';
import { chmod, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { ormLoop, perRequestLookups, SCHEMA, withClient } from '../../analyzers/performance/_fixtures.js';
import { scanLogs } from '../../src/collect/logs/scan-logs.js';
import { startEmbedded } from '../../src/demo/embedded-server.js';
import type { EmbeddedServer } from '../../src/demo/embedded-server.js';
import { analyze } from '../../src/engine/run.js';
import { findingsOf, snapshotOf } from '../harness/scan.js';
import { databaseWith } from '../harness/server.js';

const RULE = 'n-plus-one';

describe(`${RULE} from PostgreSQL logs (stderr, csvlog, jsonlog written by a real server)`, () => {
  let server: EmbeddedServer;
  let logDir: string;
  before(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'pgrescue-logs-'));
    await chmod(logDir, 0o777);
    server = await startEmbedded({
      settings: {
        logging_collector: 'on',
        log_directory: logDir,
        log_filename: 'pg.log',
        log_destination: 'stderr,csvlog,jsonlog',
        log_min_duration_statement: '0',
        log_line_prefix: '%m [%p] %q%u@%d ',
      },
    });
  });
  after(async () => server.stop());

  it('reports the exact sequences in every format, never a parameter value', async () => {
    const url = await databaseWith(server, SCHEMA, 'n1_logs');
    // Another database on the same server, with the same schema and loop: the server's log holds both, and its
    // runs must not be counted as this database's (12 runs below, not 19).
    const other = await databaseWith(server, SCHEMA, 'n1_other');
    await withClient(other, (c) => ormLoop(c, 7));
    await withClient(url, (c) => ormLoop(c, 12));
    await withClient(url, (c) => perRequestLookups(c, 50));
    // A simple-protocol loop with literals in the text (no bind parameters).
    await withClient(url, async (c) => {
      for (let r = 0; r < 4; r++) {
        const posts = await c.query<{ id: string }>(`SELECT id FROM posts WHERE community_id = ${r + 3} ORDER BY created_at DESC LIMIT 6`);
        for (const p of posts.rows) await c.query(`SELECT body FROM comments WHERE post_id = ${p.id} AND body <> 'secret-literal'`);
      }
    });
    // A loop that loads two relations per row, interleaved (an ORM resolving both lazily in one pass).
    await withClient(url, async (c) => {
      for (let r = 0; r < 6; r++) {
        const posts = await c.query<{ id: string; author_id: string }>('SELECT id, author_id FROM posts WHERE community_id = $1 ORDER BY id LIMIT 8', [r + 5]);
        for (const p of posts.rows) {
          await c.query('SELECT body FROM comments WHERE post_id = $1 LIMIT 1', [p.id]);
          await c.query('SELECT email FROM members WHERE id = $1', [p.author_id]);
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const files = (await readdir(logDir)).sort();
    assert.deepEqual(files, ['pg.csv', 'pg.json', 'pg.log']);
    const snap = await snapshotOf(url);
    for (const file of files) {
      const logs = await scanLogs([join(logDir, file)], undefined, undefined, snap.database.name);
      assert.ok(logs.otherDatabaseEntries > 0, `${file}: the other database's entries are skipped`);
      assert.equal(logs.unknownDatabaseEntries > 0, false, `${file}: every statement entry names its database`);
      assert.equal(logs.files[0]!.format, { 'pg.csv': 'csvlog', 'pg.json': 'jsonlog', 'pg.log': 'stderr' }[file]);
      const report = analyze({ ...snap, logs, capabilities: { ...snap.capabilities, pgStatStatements: false } }, ANALYZERS, { rules: [RULE] });
      const found = findingsOf(report, RULE);
      const counts = found.find((f) => String(f.evidence.exampleSequence).includes('count(*) FROM comments'));
      assert.ok(counts, `${file}: ${JSON.stringify(found.map((f) => f.evidence.exampleSequence))}`);
      assert.equal(counts.evidence.logRuns, 12, file);
      assert.equal(counts.evidence.logChildExecutions, 120, file);
      assert.equal(counts.evidence.logLongestRun, 10, file);
      const authors = found.find((f) => String(f.evidence.exampleSequence).includes('FROM members WHERE id'));
      assert.ok(authors, file);
      assert.match(String((authors.evidence.exampleSequence as string[])[0]), /FROM posts WHERE community_id/, 'the second loop belongs to the same list');
      const literal = found.find((f) => String(f.evidence.exampleSequence).includes('AND body <> $'));
      assert.ok(literal, `${file}: the simple-protocol loop is found too`);
      assert.equal(literal.evidence.logChildExecutions, 24);
      for (const child of ['SELECT body FROM comments WHERE post_id', 'SELECT email FROM members']) {
        const interleaved = found.find((f) => String(f.evidence.exampleSequence).includes(child));
        assert.ok(interleaved, `${file}: the interleaved loop's ${child} is found`);
        assert.equal(interleaved.evidence.logRuns, 6, file);
        assert.equal(interleaved.evidence.logChildExecutions, 48, file);
        assert.match(String((interleaved.evidence.exampleSequence as string[])[0]), /ORDER BY id LIMIT/);
      }
      const text = JSON.stringify(found);
      assert.doesNotMatch(text, /secret-literal|m\d+@x\.io|tok\d+/, `${file}: no literal or parameter value in the report`);
      assert.ok(!found.some((f) => String(f.evidence.exampleSequence).includes('FROM sessions')), `${file}: per-request lookups are not runs`);
    }
    // A run on a table this database does not have (another database's, in a log without %d; Prisma's quoted
    // "public"."Ghost") is no finding here, and never one on a table named "public".
    const ghost = { parentFingerprint: 'p', childFingerprint: 'c', parentQuery: 'SELECT id FROM "public"."Post" LIMIT $1', childQuery: 'SELECT * FROM "public"."Ghost" WHERE "id" = $1', runs: 9, childExecutions: 90, longestRun: 10, childTotalMs: 80, sessions: 3 };
    const foreign = analyze({ ...snap, logs: { files: [], statements: 100, minRun: 5, runs: [ghost], database: null, otherDatabaseEntries: 0, unknownDatabaseEntries: 100 } }, ANALYZERS, { rules: [RULE] });
    assert.deepEqual(findingsOf(foreign, RULE).filter((f) => f.evidence.source === 'log').map((f) => f.id), []);
  });
});
