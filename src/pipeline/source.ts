import type { ProgressEvent } from '../model/progress.js';
import { collectScan, DEFAULT_MAX_STATEMENTS } from '../collect/collect-snapshot.js';
import type { Snapshot } from '../model/snapshot.js';
import { resolveConnection } from '../db/connection-options.js';
import { DEFAULT_SESSION_OPTIONS, Session } from '../db/session.js';
import { advisorOptions } from '../advisor/options.js';
import type { Config } from '../engine/config.js';
import { UserError } from '../model/user-error.js';
import { CHECK_TIMEOUT_MS } from '../collect/bounded.js';
import { readSnapshot } from './snapshot-file.js';
import { advise } from './advise.js';
import { deriveScan } from '../derive/scan-state.js';
import type { ScanState } from '../derive/scan-state.js';
import { DEFAULT_MIN_RUN, scanLogs } from '../collect/logs/scan-logs.js';
import { logProgress } from '../io/progress.js';

export interface SourceOptions {
  readonly url?: string;
  readonly snapshot?: string;
  readonly schema?: string[];
  readonly maxStatements?: string;
  readonly statementTimeout?: string;
  readonly dataCheckTimeout?: string;
  readonly installHypopg?: boolean;
  readonly config?: Config;
  /** PostgreSQL log files to read for exact N+1 runs. */
  readonly log?: string[];
}

export function parsePositiveInt(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UserError(`pgrescue: ${flag} must be a positive whole number, got "${value}"`);
  return n;
}

/** Schemas from repeated or comma-separated --schema flags. */
export function schemaList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The snapshot to analyze: read from --snapshot, or collected live through a read-only session. */
export async function obtainSnapshot(options: SourceOptions, onProgress?: (event: ProgressEvent) => void): Promise<Snapshot> {
  return (await obtainScan(options, onProgress)).snapshot;
}

/** The same, with the scan's derived state (its parse is shared by the advisor and the rules). */
export async function obtainScan(options: SourceOptions, onProgress?: (event: ProgressEvent) => void): Promise<ScanState> {
  const scan = await scanFromSource(options, onProgress);
  if (!options.log || options.log.length === 0) return scan;
  const logs = await scanLogs(options.log, DEFAULT_MIN_RUN, logProgress(), scan.snapshot.database.name);
  const warnings = [...scan.snapshot.warnings];
  if (logs.unknownDatabaseEntries > 0) {
    warnings.push({
      code: 'log-database-unknown',
      message: `${logs.unknownDatabaseEntries} log entries do not say which database wrote them (log_line_prefix without %d): if the log covers other databases on this server, their N+1 runs are counted as this one's. Add %d to log_line_prefix (e.g. '%m [%p] %q%u@%d ').`,
    });
  }
  return deriveScan({ ...scan.snapshot, logs, warnings }, scan);
}

async function scanFromSource(options: SourceOptions, onProgress?: (event: ProgressEvent) => void): Promise<ScanState> {
  if (options.snapshot) {
    if (options.url) throw new UserError('pgrescue: give either --url or --snapshot, not both');
    return deriveScan(await readSnapshot(options.snapshot));
  }
  // Check every flag before connecting: a typo should not wait for a connection timeout.
  const statementTimeoutMs = parsePositiveInt(options.statementTimeout, '--statement-timeout', DEFAULT_SESSION_OPTIONS.statementTimeoutMs);
  const maxStatements = parsePositiveInt(options.maxStatements, '--max-statements', DEFAULT_MAX_STATEMENTS);
  const dataCheckTimeoutMs = parsePositiveInt(options.dataCheckTimeout, '--data-check-timeout', CHECK_TIMEOUT_MS);
  const schemas = schemaList(options.schema);
  const target = resolveConnection(options.url);
  const session = await Session.open(target, { ...DEFAULT_SESSION_OPTIONS, statementTimeoutMs });
  try {
    const collected = await collectScan(session, { schemas, maxStatements, installHypopg: options.installHypopg === true, dataCheckTimeoutMs, onProgress });
    return await advise(session, collected, advisorOptions(options.config?.options), onProgress);
  } finally {
    await session.close().catch(() => undefined);
  }
}
