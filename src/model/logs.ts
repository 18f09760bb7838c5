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
  /** The database whose entries were read; entries of other databases on the same server are skipped. */
  readonly database: string | null;
  /** Entries skipped because another database wrote them. */
  readonly otherDatabaseEntries: number;
  /** Entries that do not say their database (stderr logs whose log_line_prefix has no %d). */
  readonly unknownDatabaseEntries: number;
}

/** One log entry as the formats give it: a session, a severity, the message and its DETAIL. */
export interface LogEntry {
  readonly session: string;
  /** The database the entry came from, or null when the log does not say. */
  readonly database: string | null;
  readonly severity: string;
  readonly message: string;
  readonly detail: string | null;
}
