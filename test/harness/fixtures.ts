import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { analyze } from '../../src/engine/run.js';
import type { Report } from '../../src/model/report.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { safeJson } from '../../src/render/safe-json.js';
import { ensureParser } from '../../src/sql/parser.js';
import { snapshotOf } from './scan.js';
import type { TestServer } from './server.js';
import { databaseWith, execSql } from './server.js';
import { startEmbedded } from '../../src/demo/embedded-server.js';
import { startSystemPostgres, systemPostgresUnavailable } from './system-postgres.js';

/**
 * Rule tests on snapshot fixtures taken from real servers.
 *
 * Each test builds its database with real SQL (`fixtures.databaseWith`, then optional workload in
 * `fixtures.live`) and scans it (`fixtures.scan`). Recording (`PGRESCUE_RECORD=1 npm test`, or when a test's
 * fixture is missing) runs all of it on a real server — embedded PostgreSQL 18, or the system PostgreSQL 15 with
 * HypoPG for `{ server: 'system' }` — and writes the snapshot pgrescue collected, plus the whole report, to
 * `__fixtures__/<test file>.json` beside the test. Replay (the default) analyzes the recorded snapshot with no
 * server at all, and checks the report against the recorded one: every finding, with its message, evidence and
 * migration SQL, is golden output. A change that moves any of it shows up as a failing test; re-record and read
 * the diff.
 */
export interface Fixtures {
  /** A database for this test: created (record) or looked up (replay) under `key`. */
  databaseWith(schemaSql: string, key: string): Promise<FixtureDb>;
  /** Work that needs the live database (a workload, extra SQL): runs only while recording. */
  live(db: FixtureDb, work: (url: string) => Promise<void>): Promise<void>;
  /** SQL on the live database while recording (shorthand for live + execSql). */
  exec(db: FixtureDb, sql: string, params?: unknown[]): Promise<void>;
  /** The scan: collected on the real database while recording, analyzed from the fixture on replay. */
  scan(db: FixtureDb, rules?: readonly string[], options?: Record<string, number | string | boolean>): Promise<Report>;
  /** The recorded snapshot itself. */
  snapshot(db: FixtureDb, collect?: { readonly dataCheckTimeoutMs?: number }): Promise<Snapshot>;
}

export interface FixtureDb {
  readonly key: string;
  /** Set while recording only. */
  readonly url: string | null;
}

interface FixtureFile {
  readonly snapshots: Record<string, Snapshot>;
  readonly reports: Record<string, unknown>;
}

const RECORD = process.env.PGRESCUE_RECORD === '1';

export function useFixtures(testFileUrl: string, options: { server?: 'embedded' | 'system'; name?: string } = {}): Fixtures {
  const testFile = fileURLToPath(testFileUrl);
  const file = join(dirname(testFile), '__fixtures__', `${basename(testFile).replace(/\.test\.tsx?$/, '')}${options.name ? `.${options.name}` : ''}.json`);
  const stored: FixtureFile = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FixtureFile) : { snapshots: {}, reports: {} };
  const recorded: FixtureFile = { snapshots: {}, reports: {} };
  let server: TestServer | null = null;
  let dirty = false;
  const recording = (key: string): boolean => RECORD || !(key in stored.snapshots);

  const live = async (): Promise<TestServer> => {
    if (server) return server;
    if (options.server === 'system') {
      const reason = systemPostgresUnavailable();
      if (reason) throw new Error(`recording this fixture needs the system PostgreSQL 15 with HypoPG: ${reason}`);
      server = await startSystemPostgres();
    } else {
      server = await startEmbedded();
    }
    return server;
  };
  after(async () => {
    await server?.stop();
    if (dirty) {
      mkdirSync(dirname(file), { recursive: true });
      // Recorded entries replace stored ones; entries not re-recorded this run are kept.
      writeFileSync(file, safeJson({ snapshots: { ...stored.snapshots, ...recorded.snapshots }, reports: { ...stored.reports, ...recorded.reports } }));
    }
  });

  const snapshot = async (db: FixtureDb, collect: { readonly dataCheckTimeoutMs?: number } = {}): Promise<Snapshot> => {
    // analyze() parses statements synchronously: the parser must be loaded even when no server ever is.
    await ensureParser();
    if (db.url === null) return stored.snapshots[db.key]!;
    const snap = recorded.snapshots[db.key] ?? (await snapshotOf(db.url, [], collect.dataCheckTimeoutMs));
    recorded.snapshots[db.key] = snap;
    dirty = true;
    return snap;
  };

  return {
    async databaseWith(schemaSql, key) {
      if (!recording(key)) return { key, url: null };
      return { key, url: await databaseWith(await live(), schemaSql, key) };
    },
    async live(db, work) {
      if (db.url !== null) await work(db.url);
    },
    async exec(db, sql, params = []) {
      if (db.url !== null) await execSql(db.url, sql, params);
    },
    snapshot,
    async scan(db, rules = [], scanOptions = {}) {
      await ensureParser();
      const snap = await snapshot(db);
      // The snapshot's own time, so statistics ages (and so findings) are the same on every replay.
      const report = analyze(snap, ANALYZERS, { rules, options: scanOptions, now: new Date(snap.collectedAt) });
      const reportKey = `${db.key} ${JSON.stringify({ rules, scanOptions })}`;
      const golden = JSON.parse(safeJson(report.findings)) as unknown;
      if (db.url === null) {
        assert.deepEqual(golden, stored.reports[reportKey], `findings differ from the recorded ones (${basename(file)} "${reportKey}"); if intended, re-record with PGRESCUE_RECORD=1`);
      } else {
        recorded.reports[reportKey] = golden;
      }
      return report;
    },
  };
}
