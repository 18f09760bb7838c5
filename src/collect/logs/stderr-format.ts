import type { LogEntry } from '../../model/logs.js';

const SEVERITY = /(LOG|DETAIL|STATEMENT|HINT|CONTEXT|ERROR|WARNING|NOTICE|INFO|FATAL|PANIC|DEBUG[1-5]?):  /;
const SESSION_ID = /\b([0-9a-f]{6,}\.[0-9a-f]+)\b/;
const PID = /\[(\d+)\]/;

/**
 * One stderr log line, as written with a log_line_prefix that holds the session id (%c) or the pid (%p),
 * e.g. '%m [%p] %q%u@%d '. Continuation lines (a statement's next lines) start with a tab and return null:
 * the reader appends them to the previous entry.
 */
export function parseStderrLine(line: string): LogEntry | null {
  let start: number;
  let severity: string;
  let end: number;
  // Fast path: the first ":  " closes the severity word; else search with the full pattern.
  const colon = line.indexOf(':  ');
  const space = colon > 0 ? line.lastIndexOf(' ', colon) : -1;
  const word = colon > 0 ? line.slice(space + 1, colon) : '';
  if (colon > 0 && SEVERITY_WORDS.has(word)) {
    start = space + 1;
    severity = word;
    end = colon + 3;
  } else {
    const m = SEVERITY.exec(line);
    if (!m) return null;
    start = m.index;
    severity = m[1]!;
    end = m.index + m[0].length;
  }
  const prefix = line.slice(0, start);
  const session = sessionOf(prefix);
  return { session, database: databaseOf(prefix), severity, message: line.slice(end), detail: null };
}

const SEVERITY_WORDS = new Set(['LOG', 'DETAIL', 'STATEMENT', 'HINT', 'CONTEXT', 'ERROR', 'WARNING', 'NOTICE', 'INFO', 'FATAL', 'PANIC', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3', 'DEBUG4', 'DEBUG5']);

/**
 * The database (%d) from the prefix, in the two shapes prefixes use: `user@db ` at its end (the documented
 * '%m [%p] %q%u@%d ') or `db=name`. Null when the prefix has neither: the log does not say.
 */
function databaseOf(prefix: string): string | null {
  // The prefix's last word, read from the end (a regular expression anchored at the end is tried at every
  // position of the prefix: an eighth of a log scan's time).
  let end = prefix.length;
  while (end > 0 && isSpace(prefix, end - 1)) end--;
  let start = end;
  while (start > 0 && !isSpace(prefix, start - 1)) start--;
  const at = prefix.indexOf('@', start);
  if (at !== -1 && at < end - 1 && prefix.indexOf('@', at + 1) === -1) return prefix.slice(at + 1, end);
  return /\b(?:db|database)=([^\s,]+)/.exec(prefix)?.[1] ?? null;
}

const SPACE = /\s/;

/** `\s` at this position: ASCII by its code, the rest (no-break and other Unicode spaces) by the class itself. */
function isSpace(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return SPACE.test(text[i]!);
}

/** Whether this log's prefix carries session ids (%c), decided on the first prefix that shows one or a pid. */
let prefixHasSessionId: boolean | null = null;

/** Call before reading a new file: its log_line_prefix may differ. */
export function resetStderrPrefix(): void {
  prefixHasSessionId = null;
}

/** The session id (%c) when the prefix has one, else the pid (%p), else the prefix without its timestamp. */
function sessionOf(prefix: string): string {
  if (prefixHasSessionId !== false) {
    const id = SESSION_ID.exec(prefix)?.[1];
    if (id) {
      prefixHasSessionId = true;
      return id;
    }
    if (prefixHasSessionId === null && prefix.includes('[')) prefixHasSessionId = false;
  }
  const open = prefix.indexOf('[');
  if (open !== -1) {
    const close = prefix.indexOf(']', open);
    const pid = prefix.slice(open + 1, close);
    if (close > open && /^\d+$/.test(pid)) return pid;
  }
  return PID.exec(prefix)?.[1] ?? prefix.replace(/^\S+ \S+( \S+)? /, '');
}
