import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UserError } from '../../model/user-error.js';
import { csvRecordComplete, parseCsvRecord } from './csv-format.js';
import { parseJsonLine } from './json-format.js';
import type { LogEntry, LogFormat } from '../../model/logs.js';
import { parseStderrLine, resetStderrPrefix } from './stderr-format.js';

/** The format from the file name (.csv, .json), else from its first line. */
export function detectFormat(path: string, firstLine: string): LogFormat {
  if (/\.csv$/i.test(path)) return 'csvlog';
  if (/\.json$/i.test(path) || firstLine.startsWith('{')) return 'jsonlog';
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)? [A-Z+-]\w*,/.test(firstLine)) return 'csvlog';
  return 'stderr';
}

export interface ReadProgress {
  readonly path: string;
  readonly bytesRead: number;
  readonly bytesTotal: number;
}

/**
 * Stream a log file entry by entry with bounded memory: chunks are split into lines, stderr continuation lines
 * (tab-indented) are joined to their entry, CSV records may span lines inside quotes.
 */
export async function readLogEntries(
  path: string,
  onEntry: (entry: LogEntry) => void,
  onProgress?: (p: ReadProgress) => void,
): Promise<{ format: LogFormat; bytes: number }> {
  let total: number;
  try {
    total = (await stat(path)).size;
  } catch (error) {
    throw new UserError(`pgrescue: cannot read log ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as NodeJS.ErrnoException).code}`);
  }
  resetStderrPrefix();
  let format: LogFormat | null = null;
  let rest = '';
  let current: LogEntry | null = null;
  let csvPending = '';
  let read = 0;
  let lastProgress = Date.now();

  const line = (text: string): void => {
    if (format === null) format = detectFormat(path, text);
    if (format === 'jsonlog') {
      const e = parseJsonLine(text);
      if (e) onEntry(e);
    } else if (format === 'csvlog') {
      csvPending = csvPending ? `${csvPending}\n${text}` : text;
      if (csvRecordComplete(csvPending)) {
        const e = parseCsvRecord(csvPending);
        csvPending = '';
        if (e) onEntry(e);
      }
    } else if (text.startsWith('\t') && current) {
      current = { ...current, message: `${current.message}\n${text.slice(1)}` };
    } else {
      const e = parseStderrLine(text);
      if (e) {
        if (current) onEntry(current);
        current = e;
      }
    }
  };

  const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      read += Buffer.byteLength(chunk, 'utf8');
      const text = rest + chunk;
      let start = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
        line(text.charCodeAt(nl - 1) === 13 ? text.slice(start, nl - 1) : text.slice(start, nl));
        start = nl + 1;
      }
      rest = text.slice(start);
      if (onProgress && Date.now() - lastProgress > 500) {
        lastProgress = Date.now();
        onProgress({ path, bytesRead: read, bytesTotal: total });
      }
    }
  } catch (error) {
    throw new UserError(`pgrescue: cannot read log ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (rest) line(rest);
  if (current) onEntry(current);
  onProgress?.({ path, bytesRead: total, bytesTotal: total });
  return { format: format ?? 'stderr', bytes: total };
}
