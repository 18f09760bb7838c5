import { ANALYZERS } from '../../analyzers/index.js';
import { collectSnapshot, DEFAULT_MAX_STATEMENTS } from '../../src/collect/collect-snapshot.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { resolveConnection } from '../../src/db/connection-options.js';
import { Session } from '../../src/db/session.js';
import type { Finding } from '../../src/model/finding.js';
import type { Report } from '../../src/model/report.js';
import { analyze } from '../../src/engine/run.js';
import { ensureParser } from '../../src/sql/parser.js';
import { advise } from '../../src/pipeline/advise.js';
import { deriveScan } from '../../src/derive/scan-state.js';

/** Collect a snapshot from a real database through the tool's own read-only session. */
export async function snapshotOf(url: string, schemas: string[] = [], limits: number | { dataCheckTimeoutMs?: number; maxStatements?: number } = {}): Promise<Snapshot> {
  await ensureParser();
  const { dataCheckTimeoutMs, maxStatements = DEFAULT_MAX_STATEMENTS } = typeof limits === 'number' ? { dataCheckTimeoutMs: limits } : limits;
  const session = await Session.open(resolveConnection(url));
  try {
    return (await advise(session, deriveScan(await collectSnapshot(session, { schemas, maxStatements, dataCheckTimeoutMs })))).snapshot;
  } finally {
    await session.close();
  }
}

/** Scan a real database with the given rules and return the report. */
export async function scanDatabase(url: string, rules: string[] = [], options: Record<string, number | string | boolean> = {}): Promise<Report> {
  return analyze(await snapshotOf(url), ANALYZERS, { rules, options });
}

export function findingsOf(report: Report, rule: string): Report['findings'] {
  return report.findings.filter((f) => f.rule === rule);
}

export type { Finding };
