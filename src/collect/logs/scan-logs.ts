import { RunDetector } from '../../nplus1/run-detector.js';
import { ensureParser } from '../../sql/parser.js';
import type { LogFileSummary, LogScan } from '../../model/logs.js';
import type { ReadProgress } from './read-log.js';
import { readLogEntries } from './read-log.js';

export const DEFAULT_MIN_RUN = 5;

/** Read PostgreSQL log files (stderr, csvlog, jsonlog) and summarize the N+1 runs they show. */
export async function scanLogs(paths: readonly string[], minRun = DEFAULT_MIN_RUN, onProgress?: (p: ReadProgress) => void): Promise<LogScan> {
  await ensureParser();
  const detector = new RunDetector(minRun);
  const files: LogFileSummary[] = [];
  for (const path of paths) {
    const before = detector.statements;
    const { format, bytes } = await readLogEntries(path, (e) => detector.add(e), onProgress);
    files.push({ path, format, bytes, statements: detector.statements - before });
  }
  const runs = detector.finish();
  return { files, statements: detector.statements, minRun, runs };
}
