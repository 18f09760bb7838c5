import { escapeControls } from '../sql/comment.js';

/** Fields whose text is several lines by design (SQL, statement text): their newlines stay. */
const MULTILINE = new Set(['up', 'down', 'query', 'sql', 'childQuery', 'parentQuery']);

/**
 * A deep copy of a report (or any JSON-like value) safe to print on a terminal: every string has its control
 * characters (ESC, CR, BEL, C1, bidi overrides…) written as visible escapes, so a name or text from the database
 * can never move the cursor, set the title or hide text. Newlines stay only in multi-line fields.
 */
export function displaySafe<T>(value: T, key?: string): T {
  if (typeof value === 'string') return escapeControls(value, { keepNewlines: key !== undefined && MULTILINE.has(key) }) as T;
  if (Array.isArray(value)) return value.map((v) => displaySafe(v, key)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[displaySafe(k)] = displaySafe(v, k);
    return out as T;
  }
  return value;
}

/** One line of text from anywhere (an error, a warning) made safe for a terminal. */
export function displayLine(text: string): string {
  return escapeControls(text, { keepNewlines: false });
}
