import type { LogEntry } from '../../model/logs.js';

interface JsonLogLine {
  session_id?: string;
  pid?: number;
  dbname?: string;
  error_severity?: string;
  message?: string;
  detail?: string;
}

/** One jsonlog line (PostgreSQL 15+): a JSON object with session_id, error_severity, message, detail. */
export function parseJsonLine(line: string): LogEntry | null {
  if (!line.startsWith('{')) return null;
  let o: JsonLogLine;
  try {
    o = JSON.parse(line) as JsonLogLine;
  } catch {
    return null;
  }
  if (!o.error_severity || o.message === undefined) return null;
  return { session: o.session_id ?? String(o.pid ?? ''), database: o.dbname ?? null, severity: o.error_severity, message: o.message, detail: o.detail ?? null };
}
