import { isLoggedStatement, RunDetector } from '../../nplus1/run-detector.js';
import { ensureParser } from '../../sql/parser.js';
import type { LogEntry, LogFileSummary, LogScan } from '../../model/logs.js';
import type { ReadProgress } from './read-log.js';
import { readLogEntries } from './read-log.js';

export const DEFAULT_MIN_RUN = 5;


/**
 * Read PostgreSQL log files (stderr, csvlog, jsonlog) and summarize the N+1 runs they show. A server's log holds
 * every database's statements: with `database`, entries another database wrote are skipped (those that do not
 * say their database are kept and counted, for a warning).
 */
export async function scanLogs(paths: readonly string[], minRun = DEFAULT_MIN_RUN, onProgress?: (p: ReadProgress) => void, database: string | null = null): Promise<LogScan> {
  await ensureParser();
  const detector = new RunDetector(minRun);
  const files: LogFileSummary[] = [];
  let other = 0;
  let unknown = 0;
  const add = (e: LogEntry): void => {
    if (database !== null) {
      if (e.database === null) {
        // Server processes (checkpointer, autovacuum) write entries with no database; only statements count.
        if (isLoggedStatement(e.message)) unknown++;
      }
      else if (e.database !== database) {
        other++;
        return;
      }
    }
    detector.add(e);
  };
  for (const path of paths) {
    const before = detector.statements;
    const { format, bytes } = await readLogEntries(path, add, onProgress);
    files.push({ path, format, bytes, statements: detector.statements - before });
  }
  const runs = detector.finish();
  return { files, statements: detector.statements, minRun, runs, database, otherDatabaseEntries: other, unknownDatabaseEntries: unknown };
}
