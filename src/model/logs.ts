/** What log mode records in the snapshot: per (parent shape, repeated child shape), the runs seen. */
export interface LogRun {
  readonly parentFingerprint: string;
  readonly childFingerprint: string;
  /** Normalized text (constants as $n): never a literal or a parameter value. */
  readonly parentQuery: string;
  readonly childQuery: string;
  /** How many times a run of the child followed the parent. */
  readonly runs: number;
  /** Child executions in those runs. */
  readonly childExecutions: number;
  readonly longestRun: number;
  readonly childTotalMs: number;
  readonly sessions: number;
}

export interface LogFileSummary {
  readonly path: string;
  readonly format: LogFormat;
  readonly bytes: number;
  readonly statements: number;
}

export type LogFormat = 'stderr' | 'csvlog' | 'jsonlog';

export interface LogScan {
  readonly files: readonly LogFileSummary[];
  readonly statements: number;
  /** Minimum run length used (default 5). */
  readonly minRun: number;
  readonly runs: readonly LogRun[];
}

/** One log entry as the formats give it: a session, a severity, the message and its DETAIL. */
export interface LogEntry {
  readonly session: string;
  readonly severity: string;
  readonly message: string;
  readonly detail: string | null;
}
