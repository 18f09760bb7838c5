import { collectScan } from '../collect/collect-snapshot.js';
import { Session } from '../db/session.js';
import { resolveConnection } from '../db/connection-options.js';
import { CHECK_TIMEOUT_MS } from '../collect/bounded.js';
import { deriveScan } from '../derive/scan-state.js';
import { advise } from '../pipeline/advise.js';
import { buildReport } from '../pipeline/report-output.js';
import type { Snapshot } from '../model/snapshot.js';
import type { Report } from '../model/report.js';

/**
 * The findings on the scratch database as it is now, judged against the workload captured before (the scratch
 * copy has no traffic of its own): its catalog and data checks, the earlier statements. Read-only, like a scan.
 */
export async function findingsNow(url: string, before: Snapshot): Promise<Report> {
  const session = await Session.open(resolveConnection(url));
  try {
    const collected = await collectScan(session, { schemas: [], maxStatements: Math.max(1, before.statements.length), installHypopg: false, dataCheckTimeoutMs: CHECK_TIMEOUT_MS });
    const snapshot = collected.snapshot;
    const merged = deriveScan({
      ...snapshot,
      statements: before.statements,
      capabilities: { ...snapshot.capabilities, pgStatStatements: before.capabilities.pgStatStatements, statementsAllUsers: before.capabilities.statementsAllUsers },
    });
    return await buildReport(await advise(session, merged), []);
  } finally {
    await session.close().catch(() => undefined);
  }
}
