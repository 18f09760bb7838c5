/**
 * Repair durations and verify's overhead on the demo database (issue: fixes a founder can apply).
 *
 * Loads the demo community (20,000 members, planted duplicates, orphans, NULLs) on an embedded PostgreSQL, runs
 * the member workload, scans, writes EVERY step (safe, review and decision), removes the decision guards as if a
 * person had accepted each proposal, and runs `verify` on a TEMPLATE copy: each file's apply time, its verdict,
 * and what verify costs on top of applying (replaying the workload after every file, the lock sampler, the scan
 * of the result, the downs). Then the safe set alone, as the demo verifies it.
 * Run: npx tsx bench/verify-repairs.ts [requests]   (target: no file over 60 s; prints a table for the README)
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbedded } from '../src/demo/embedded-server.js';
import { loadDemoDatabase } from '../src/demo/demo-database.js';
import { runDemoWorkload } from '../src/demo/demo-workload.js';
import { obtainScan } from '../src/pipeline/source.js';
import { buildReport } from '../src/pipeline/report-output.js';
import { planMigrations } from '../src/migrate/plan.js';
import { writeMigrations } from '../src/migrate/write.js';
import { plain } from '../src/migrate/tools/sql-files.js';
import { withoutGuard } from '../src/migrate/decision.js';
import { RISKS } from '../src/model/finding.js';
import type { Risk } from '../src/model/finding.js';
import { runVerify } from '../src/verify/run-verify.js';
import { ScratchConnection } from '../src/db/scratch.js';
import { formatMs } from '../src/derive/format.js';
import type { VerifyResult } from '../src/model/verify.js';

const requests = Number(process.argv[2] ?? 300);

async function verifyOn(server: Awaited<ReturnType<typeof startEmbedded>>, dir: string, snapshot: Parameters<typeof runVerify>[0]['before'], name: string): Promise<VerifyResult> {
  const admin = await ScratchConnection.open(server.url('postgres'), 'pgrescue bench');
  await admin.query(`CREATE DATABASE ${name} TEMPLATE community`);
  try {
    return await runVerify({ url: server.url(name), migrations: dir, before: snapshot, settings: [], slowMs: 60_000, writerWaitMs: 1000, replayTimeoutMs: 5000, maxStatements: 200 });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.close();
  }
}

function table(result: VerifyResult): string {
  const rows = result.files.map((f) => `| ${f.file.replace(/^\d+_\d+_/, '').replace(/\.up\.sql$/, '')} | ${f.risk ?? ''} | ${f.applyMs === null ? '—' : formatMs(f.applyMs)} | ${f.locks ? formatMs(f.locks.writersBlockedMs) : ''} | ${f.verdicts.join(', ')} |`);
  return ['| file | risk | apply | writers waited | verdict |', '|---|---|---:|---:|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  const server = await startEmbedded();
  const work = await mkdtemp(join(tmpdir(), 'pgrescue-bench-verify-'));
  try {
    const url = await server.createDatabase('community');
    await loadDemoDatabase(url);
    await runDemoWorkload(url, { requests });
    const scan = await obtainScan({ url });
    const report = await buildReport(scan, []);
    const all = new Set<Risk>(RISKS);
    const everything = join(work, 'all');
    await writeMigrations(planMigrations(report, undefined, all), { dir: everything, force: false, now: new Date(), toolVersion: 'bench', tool: plain });
    // As if a person accepted every proposal: the guard lines go, the SQL stays as proposed.
    for (const f of (await readdir(everything)).filter((n) => n.endsWith('.up.sql'))) {
      const path = join(everything, f);
      await writeFile(path, withoutGuard(await readFile(path, 'utf8')));
    }
    const safe = join(work, 'safe');
    await writeMigrations(planMigrations(report), { dir: safe, force: false, now: new Date(), toolVersion: 'bench', tool: plain });

    const full = await verifyOn(server, everything, scan.snapshot, 'bench_all');
    const safeOnly = await verifyOn(server, safe, scan.snapshot, 'bench_safe');
    const slowest = [...full.files].filter((f) => f.applyMs !== null).sort((a, b) => b.applyMs! - a.applyMs!).slice(0, 8);
    console.log(`demo database, ${requests} requests; every step with decisions accepted (${full.files.length} files):`);
    console.log(table({ ...full, files: slowest }));
    console.log(`\nall files: applied in ${formatMs(full.applyMs)}, verify ${formatMs(full.verifyMs)} (overhead ${formatMs(full.verifyMs - full.applyMs)}), longest file ${formatMs(slowest[0]?.applyMs ?? 0)}, failed: ${full.files.filter((f) => f.failed).map((f) => `${f.file} (${f.verdicts.join(', ')})`).join('; ') || 'none'}`);
    console.log(`safe set: ${safeOnly.files.length} files applied in ${formatMs(safeOnly.applyMs)}, verify ${formatMs(safeOnly.verifyMs)} (overhead ${formatMs(safeOnly.verifyMs - safeOnly.applyMs)}), ${safeOnly.replay.statements} statements replayed after each file, ok: ${safeOnly.ok}`);
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
