import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScratchConnection } from '../db/scratch.js';
import type { EmbeddedServer } from '../demo/embedded-server.js';
import { p95, runDemoWorkload } from '../demo/demo-workload.js';
import type { WorkloadTimings } from '../demo/demo-workload.js';
import { planMigrations } from '../migrate/plan.js';
import { writeMigrations } from '../migrate/write.js';
import { plain } from '../migrate/tools/sql-files.js';
import type { Report } from '../model/report.js';
import type { Snapshot } from '../model/snapshot.js';
import type { VerifyResult } from '../model/verify.js';
import { runVerify } from '../verify/run-verify.js';
import { applyFile } from '../verify/apply.js';
import { readMigrationFolder } from '../verify/migration-files.js';
import { displayLine } from '../render/display-safe.js';
import { obtainSnapshot } from '../pipeline/source.js';
import { buildReport } from '../pipeline/report-output.js';
import { toolVersion } from '../io/version.js';
import { note } from '../io/progress.js';
import { formatMs, plural } from '../derive/format.js';
import { quoteIdent } from '../sql/quote.js';
import { fileLine } from './verify.js';

/** The demo's before and after, measured the same way: the same workload, the same seed. */
export interface RescueOutcome {
  readonly written: number;
  readonly verify: VerifyResult;
  /** Applied to the demo database (only when verify passed). */
  readonly applied: boolean;
  readonly before: Measured;
  readonly after: Measured | null;
  readonly findingsBefore: number;
  readonly findingsAfter: number | null;
  readonly resolved: number | null;
  /** Findings the scan after reports that the scan before did not (ids). */
  readonly appeared: readonly string[];
}

export interface Measured {
  /** Total execution time of the app's statements in pg_stat_statements. */
  readonly dbMs: number;
  readonly requestP95: number;
  readonly actionP95: Readonly<Record<string, number>>;
}

export function measured(snapshot: Snapshot, timings: WorkloadTimings): Measured {
  return {
    dbMs: snapshot.statements.reduce((sum, s) => sum + s.totalMs, 0),
    requestP95: p95(timings.requests),
    actionP95: Object.fromEntries(Object.entries(timings.actions).map(([a, list]) => [a, p95(list)])),
  };
}

async function admin(server: EmbeddedServer, sql: string): Promise<void> {
  const client = await ScratchConnection.open(server.url('postgres'), 'pgrescue demo');
  try {
    await client.query(sql);
  } finally {
    await client.close();
  }
}

/** Apply the .up.sql files of a folder in name order, as the README tells a user to. */
async function applyFolder(url: string, dir: string): Promise<void> {
  const client = await ScratchConnection.open(url, 'pgrescue demo (migrations)');
  try {
    for (const file of await readMigrationFolder(dir)) {
      const applied = await applyFile(client, file.up);
      if (applied.error) throw new Error(`${file.name}: ${applied.error}`);
    }
    await client.query('SELECT pg_stat_statements_reset()');
  } finally {
    await client.close();
  }
}

/**
 * The rest of the demo after the scan: write the safe migrations, verify them on a TEMPLATE copy of the demo
 * database, apply them to the demo database, run the same member workload again, scan again, and measure.
 */
export async function rescueDemo(server: EmbeddedServer, url: string, before: { snapshot: Snapshot; report: Report; timings: WorkloadTimings }, requests: number, elapsed: () => string): Promise<RescueOutcome | null> {
  const dir = await mkdtemp(join(tmpdir(), 'pgrescue-demo-migrations-'));
  try {
    const plan = planMigrations(before.report);
    if (plan.length === 0) {
      note('  ✓ no safe migration to write for these findings: nothing to verify or apply');
      return null;
    }
    const { written } = await writeMigrations(plan, { dir, force: false, now: new Date(), toolVersion: toolVersion(), tool: plain });
    note(`  ✓ ${plural(written.length, 'safe migration')} written (risk: safe; review and decision steps left out) (${elapsed()})`);
    await admin(server, `CREATE DATABASE ${quoteIdent('community_verify')} TEMPLATE ${quoteIdent('community')}`);
    let verify: VerifyResult;
    try {
      verify = await runVerify({
        url: server.url('community_verify'),
        migrations: dir,
        before: before.snapshot,
        settings: [],
        slowMs: 60_000,
        writerWaitMs: 1000,
        replayTimeoutMs: 5000,
        maxStatements: 200,
        onFile: (v) => {
          if (v.failed) note(fileLine(v));
        },
      });
    } finally {
      await admin(server, `DROP DATABASE IF EXISTS ${quoteIdent('community_verify')}`);
    }
    note(`  ${verify.ok ? '✓' : '✗'} verified on a TEMPLATE copy: ${verify.files.filter((f) => !f.failed).length}/${verify.files.length} files pass, workload replayed (${verify.replay.statements} statements, 0 lose rows: ${verify.files.every((f) => f.lostRows.length === 0)}), downs restore the schema: ${verify.schemaRestored} (${elapsed()})`);
    const findingsBefore = before.report.findings.length;
    const beforeMeasured = measured(before.snapshot, before.timings);
    if (!verify.ok) return { written: written.length, verify, applied: false, before: beforeMeasured, after: null, findingsBefore, findingsAfter: null, resolved: null, appeared: [] };
    await applyFolder(url, dir);
    note(`  ✓ migrations applied to the demo database (${elapsed()})`);
    const timings = await runDemoWorkload(url, { requests });
    note(`  ✓ the same ${requests} member requests again (${elapsed()})`);
    const snapshot = await obtainSnapshot({ url });
    const report = await buildReport(snapshot, []);
    const now = new Set(report.findings.map((f) => f.id));
    return {
      written: written.length,
      verify,
      applied: true,
      before: beforeMeasured,
      after: measured(snapshot, timings),
      findingsBefore,
      findingsAfter: report.findings.length,
      resolved: before.report.findings.filter((f) => !now.has(f.id)).length,
      appeared: report.findings.filter((f) => !before.report.findings.some((b) => b.id === f.id)).map((f) => f.id),
    };
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/** The before/after table the demo ends with. */
export function rescueSummary(o: RescueOutcome): string {
  const lines = ['', 'Before / after the safe migrations (same workload, same seed)', ''];
  if (!o.after) {
    lines.push(displayLine(`verify FAILED on the copy: nothing was applied. ${o.verify.files.filter((f) => f.failed).map((f) => `${f.file}: ${f.reasons.join('; ')}`).join(' | ')}`));
    return `${lines.join('\n')}\n`;
  }
  const row = (label: string, a: number, b: number): string => `  ${label.padEnd(28)} ${formatMs(a).padStart(10)} → ${formatMs(b).padStart(10)}   ${b > 0 ? `${(a / b).toFixed(1)}× faster` : ''}`;
  lines.push(row('total DB time', o.before.dbMs, o.after.dbMs));
  lines.push(row('member request p95', o.before.requestP95, o.after.requestP95));
  for (const action of Object.keys(o.before.actionP95)) lines.push(row(`  ${action} p95`, o.before.actionP95[action]!, o.after.actionP95[action] ?? 0));
  lines.push('', `  findings: ${o.findingsBefore} → ${o.findingsAfter} (${o.resolved} resolved by ${plural(o.written, 'safe migration')}, verified on a copy first: ${formatMs(o.verify.verifyMs)})`);
  if (o.appeared.length > 0) lines.push(`  new after the migrations: ${displayLine(o.appeared.join(', '))}`);
  lines.push('  left: the review and decision steps (pgrescue migrate --include review,decision): data repairs, RLS and who owns a row');
  return `${lines.join('\n')}\n`;
}
