import type { AdvisorOptions } from '../advisor/options.js';
import { DEFAULT_ADVISOR_OPTIONS } from '../advisor/options.js';
import type { Session } from '../db/session.js';
import type { ProgressEvent } from '../model/progress.js';
import { runAdvisor } from '../whatif/run-advisor.js';
import { deriveScan } from '../derive/scan-state.js';
import type { ScanState } from '../derive/scan-state.js';

/**
 * The pipeline's second step: collect → advise → analyze → render. The what-if planner (HypoPG when present)
 * costs index candidates for the collected workload; its result joins the snapshot. Skipped without a
 * workload; a failure is a warning, never a failed scan.
 */
export async function advise(session: Session, scan: ScanState, options: AdvisorOptions = DEFAULT_ADVISOR_OPTIONS, onProgress?: (e: ProgressEvent) => void): Promise<ScanState> {
  const { snapshot } = scan;
  if (!snapshot.capabilities.pgStatStatements || snapshot.statements.length === 0) return scan;
  const started = Date.now();
  onProgress?.({ step: 'index advisor', state: 'start' });
  try {
    const run = await runAdvisor(session, scan, options, onProgress);
    onProgress?.({ step: 'index advisor', state: 'done', elapsedMs: Date.now() - started });
    // Same tables and statements: the rules reuse the advisor's parse.
    return deriveScan({ ...snapshot, advisor: run.result, warnings: [...snapshot.warnings, ...run.warnings] }, scan);
  } catch (error) {
    onProgress?.({ step: 'index advisor', state: 'failed', elapsedMs: Date.now() - started });
    return deriveScan({ ...snapshot, warnings: [...snapshot.warnings, { code: 'collect-index advisor-failed', message: `could not run the index advisor (${(error as Error).message}): rules that need it were skipped` }] }, scan);
  }
}
