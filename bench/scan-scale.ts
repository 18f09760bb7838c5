/**
 * Scan-cost benchmark (issue: scan cost). Needs the system PostgreSQL 15 (apt-get install -y postgresql-15).
 * Run: npx tsx bench/scan-scale.ts [tables:statements ...]   (default 500:1250 1000:2500 2000:5000)
 *
 * For each size a generated database (bench/scale/generate.ts) is scanned by the built CLI (dist/, as users run
 * it) with what-if off (HypoPG is not installed there). Recorded per size, median of 3 runs:
 *   live scan     wall time and peak RSS of `pgrescue scan --format json`
 *   snapshot scan wall time and peak RSS of `pgrescue scan --snapshot` (no database)
 *   catalog       client-observed time of the catalog reads (tables … statements) over a local socket
 *   data checks   time of the bounded data checks and secret samples
 *   pgss          pg_stat_statements entries before the first scan and after two scans (the app's own must stay)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
import { resolveConnection } from '../src/db/connection-options.js';
import { Session } from '../src/db/session.js';
import { startSystemPostgres } from '../test/harness/system-postgres.js';
import { requireSystemPostgres } from './lib/bench-server.js';
import { generateScaleDatabase } from './scale/generate.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
const PROBE = join(ROOT, 'bench', 'scale', 'rss-probe.mjs');
const CATALOG_STEPS = new Set(['locks', 'settings', 'extensions', 'tables', 'indexes', 'constraints', 'policies', 'roles', 'grants', 'sequences', 'functions', 'routines', 'views', 'column statistics', 'statements']);
const RUNS = 3;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function runCli(args: string[], work: string): { ms: number; rssMb: number } {
  const rssFile = join(work, 'rss');
  writeFileSync(rssFile, '');
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PROBE, CLI, ...args], { env: { ...process.env, PGRESCUE_RSS_FILE: rssFile, NO_COLOR: '1' }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0 && r.status !== 1) throw new Error(`pgrescue ${args[0]} exited ${r.status}: ${r.stderr}`);
  return { ms, rssMb: Number(readFileSync(rssFile, 'utf8').trim()) / 1024 };
}

async function entries(url: string): Promise<{ total: number; app: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    // The benchmark's own reads stay out of what they measure.
    await c.query('SELECT set_config($1, $2, false)', ['pg_stat_statements.track', 'none']);
    const r = await c.query(`SELECT count(*)::int AS total, count(*) FILTER (WHERE query ~ '^(SELECT id, name FROM|SELECT count\\(\\*\\) FROM|UPDATE|SELECT \\* FROM) t\\d')::int AS app FROM pg_stat_statements`);
    return { total: r.rows[0].total, app: r.rows[0].app };
  } finally {
    await c.end();
  }
}

/** Wall time of the catalog reads (first start to last end: they run at once) and of the data checks. */
async function collectTimes(url: string): Promise<{ catalogMs: number; dataMs: number }> {
  const session = await Session.open(resolveConnection(url));
  const starts = new Map<string, number>();
  const ends = new Map<string, number>();
  try {
    await collectSnapshot(session, {
      schemas: [],
      maxStatements: Number.POSITIVE_INFINITY,
      onProgress: (e) => (e.state === 'start' ? starts : ends).set(e.step, performance.now()),
    });
  } finally {
    await session.close();
  }
  const span = (steps: string[]): number => Math.max(...steps.map((s) => ends.get(s) ?? 0)) - Math.min(...steps.map((s) => starts.get(s) ?? 0));
  const catalog = [...starts.keys()].filter((s) => CATALOG_STEPS.has(s));
  const data = [...starts.keys()].filter((s) => !CATALOG_STEPS.has(s));
  return { catalogMs: span(catalog), dataMs: data.length > 0 ? span(data) : 0 };
}

async function main(): Promise<void> {
  requireSystemPostgres('scan-scale');
  const sizes = (process.argv.slice(2).length ? process.argv.slice(2) : ['500:1250', '1000:2500', '2000:5000']).map((s) => {
    const [tables, statements] = s.split(':').map(Number);
    return { tables: tables!, statements: statements!, rowsPerTable: 1000 };
  });
  console.error('building dist/ …');
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(ROOT, 'tsconfig.json')], { stdio: 'inherit' });
  const server = await startSystemPostgres({ 'pg_stat_statements.max': '10000' });
  const work = mkdtempSync(join(tmpdir(), 'pgrescue-scale-'));
  const rows: string[] = [];
  try {
    for (const size of sizes) {
      const db = `scale_${size.tables}`;
      const url = await server.createDatabase(db);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query('CREATE EXTENSION pg_stat_statements');
      await admin.end();
      console.error(`generating ${size.tables} tables, ${size.statements} statements …`);
      await generateScaleDatabase(url, size);
      const before = await entries(url);
      const live: { ms: number; rssMb: number }[] = [];
      for (let i = 0; i < RUNS; i++) live.push(runCli(['scan', '--url', url, '--format', 'json', '--out', join(work, `report-${i}.json`)], work));
      const after = await entries(url);
      runCli(['snapshot', '--url', url, '--out', join(work, 'snapshot.json')], work);
      const offline: { ms: number; rssMb: number }[] = [];
      for (let i = 0; i < RUNS; i++) offline.push(runCli(['scan', '--snapshot', join(work, 'snapshot.json'), '--format', 'json', '--out', join(work, `offline-${i}.json`)], work));
      const times: { catalogMs: number; dataMs: number }[] = [];
      for (let i = 0; i < RUNS; i++) times.push(await collectTimes(url));
      // PGRESCUE_BENCH_KEEP=DIR keeps the largest size's snapshot and report there, for profiling.
      const keep = process.env.PGRESCUE_BENCH_KEEP;
      if (keep) for (const f of ['snapshot.json', 'report-0.json']) copyFileSync(join(work, f), join(keep, `${size.tables}-${f}`));
      const report = JSON.parse(readFileSync(join(work, 'report-0.json'), 'utf8')) as { findings: unknown[] };
      const reportMb = readFileSync(join(work, 'report-0.json')).length / 1e6;
      const row = [
        `${size.tables} / ${size.statements}`,
        (median(live.map((x) => x.ms)) / 1000).toFixed(2),
        median(live.map((x) => x.rssMb)).toFixed(0),
        (median(offline.map((x) => x.ms)) / 1000).toFixed(2),
        median(offline.map((x) => x.rssMb)).toFixed(0),
        (median(times.map((x) => x.catalogMs)) / 1000).toFixed(2),
        (median(times.map((x) => x.dataMs)) / 1000).toFixed(2),
        String(report.findings.length),
        reportMb.toFixed(1),
        `${before.app} → ${after.app} (all ${before.total} → ${after.total})`,
      ];
      rows.push(`| ${row.join(' | ')} |`);
      console.error(rows.at(-1));
    }
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
  console.log('| tables / statements | scan s | scan RSS MB | --snapshot s | --snapshot RSS MB | catalog s | data checks s | findings | report MB | app statements in pg_stat_statements, before → after 3 scans |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const row of rows) console.log(row);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
