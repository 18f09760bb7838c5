import type { AdvisorOptions } from '../advisor/options.js';
import { DEFAULT_ADVISOR_OPTIONS } from '../advisor/options.js';
import type { Session } from '../db/session.js';
import type { ProgressEvent } from '../model/progress.js';
import type { Snapshot } from '../model/snapshot.js';
import { runAdvisor } from '../whatif/run-advisor.js';

/**
 * The pipeline's second step: collect → advise → analyze → render. The what-if planner (HypoPG when present)
 * costs index candidates for the collected workload; its result joins the snapshot. Skipped without a
 * workload; a failure is a warning, never a failed scan.
 */
export async function advise(session: Session, snapshot: Snapshot, options: AdvisorOptions = DEFAULT_ADVISOR_OPTIONS, onProgress?: (e: ProgressEvent) => void): Promise<Snapshot> {
  if (!snapshot.capabilities.pgStatStatements || snapshot.statements.length === 0) return snapshot;
  const started = Date.now();
  onProgress?.({ step: 'index advisor', state: 'start' });
  try {
    const run = await runAdvisor(session, snapshot, options, onProgress);
    onProgress?.({ step: 'index advisor', state: 'done', elapsedMs: Date.now() - started });
    return { ...snapshot, advisor: run.result, warnings: [...snapshot.warnings, ...run.warnings] };
  } catch (error) {
    onProgress?.({ step: 'index advisor', state: 'failed', elapsedMs: Date.now() - started });
    return { ...snapshot, warnings: [...snapshot.warnings, { code: 'collect-index advisor-failed', message: `could not run the index advisor (${(error as Error).message}): rules that need it were skipped` }] };
  }
}
