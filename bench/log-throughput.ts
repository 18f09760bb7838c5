/**
 * N+1 log mode throughput (issue: N+1 detection). Generates a PostgreSQL stderr log of at least one million
 * statements (extended protocol, as log_min_duration_statement = 0 writes it: parse, bind + DETAIL,
 * execute + DETAIL), then scans it and reports MB/s and peak RSS.
 * Run: npx tsx bench/log-throughput.ts [statements]   (target: ≥ 50 MB/s, memory flat in file size)
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scanLogs } from '../src/collect/logs/scan-logs.js';

const target = Number(process.argv[2] && process.argv[2] !== '--scan' ? process.argv[2] : 1_000_000);

async function generate(path: string, statements: number): Promise<number> {
  const out = createWriteStream(path);
  const write = (s: string): Promise<void> | void => {
    if (!out.write(s)) return new Promise((resolve) => out.once('drain', () => resolve()));
  };
  let written = 0;
  let second = 0;
  const ts = (): string => `2026-11-24 10:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}.123 UTC`;
  const emit = async (pid: number, sql: string, params: string): Promise<void> => {
    const p = `${ts()} [${pid}] app@community `;
    await write(
      `${p}LOG:  duration: 0.041 ms  parse <unnamed>: ${sql}\n` +
        `${p}LOG:  duration: 0.022 ms  bind <unnamed>: ${sql}\n${p}DETAIL:  Parameters: ${params}\n` +
        `${p}LOG:  duration: 0.105 ms  execute <unnamed>: ${sql}\n${p}DETAIL:  Parameters: ${params}\n`,
    );
    written++;
  };
  let request = 0;
  while (written < statements) {
    const pid = 1000 + (request % 64);
    second++;
    await emit(pid, 'SELECT id, member_id FROM sessions WHERE token = $1', `$1 = 'tok${request}'`);
    await emit(pid, 'SELECT id, title, author_id FROM posts WHERE community_id = $1 AND deleted_at IS NULL ORDER BY created_at DESC LIMIT $2', `$1 = '${request % 200}', $2 = '10'`);
    for (let i = 0; i < 10; i++) await emit(pid, 'SELECT count(*) FROM comments WHERE post_id = $1', `$1 = '${request * 10 + i}'`);
    for (let i = 0; i < 10; i++) await emit(pid, 'SELECT id, display_name FROM members WHERE id = $1', `$1 = '${(request * 7 + i) % 20000}'`);
    if (request % 10 === 0) await emit(pid, `SELECT * FROM payments WHERE member_id = ${request % 500} ORDER BY paid_at DESC LIMIT 10`, `$1 = 'x'`);
    request++;
  }
  await new Promise<void>((resolve) => out.end(resolve));
  return written;
}

/** The scan runs in its own process so that its peak RSS is the scan's alone. */
async function scanOnly(path: string): Promise<void> {
  const bytes = (await stat(path)).size;
  const rssBefore = process.memoryUsage().rss;
  const t1 = process.hrtime.bigint();
  const scan = await scanLogs([path], undefined, undefined, 'community'); // as scan --log does: entries of other databases skipped
  const seconds = Number(process.hrtime.bigint() - t1) / 1e9;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  console.log(`scanned ${scan.statements} statements in ${seconds.toFixed(2)} s: ${(bytes / 1e6 / seconds).toFixed(1)} MB/s (target ≥ 50)`);
  console.log(`peak RSS ${(peakRss / 1e6).toFixed(0)} MB (RSS before the scan ${(rssBefore / 1e6).toFixed(0)} MB)`);
  for (const r of scan.runs) console.log(`  ${r.runs} runs, ${r.childExecutions} executions, longest ${r.longestRun}: ${r.childQuery.slice(0, 60)} after ${r.parentQuery.slice(0, 50)}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === '--scan') return scanOnly(process.argv[3]!);
  const dir = await mkdtemp(join(tmpdir(), 'pgrescue-logbench-'));
  const path = join(dir, 'postgresql.log');
  try {
    const t0 = Date.now();
    const statements = await generate(path, target);
    const bytes = (await stat(path)).size;
    console.log(`generated ${statements} statements, ${(bytes / 1e6).toFixed(0)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--scan', path], { stdio: 'inherit' });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
