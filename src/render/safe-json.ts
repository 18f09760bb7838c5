import { unprintableBeyondC0 } from '../sql/unprintable.js';

// JSON.stringify escapes every C0 control inside strings; what it leaves raw is matched here (its own newlines are not).
const UNPRINTABLE = unprintableBeyondC0('g');
const ANY_UNPRINTABLE = unprintableBeyondC0();

// Tested first: replace() copies the text even when nothing matches, and a report is mostly clean.
const escapeRaw = (json: string): string => (ANY_UNPRINTABLE.test(json) ? json.replace(UNPRINTABLE, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`) : json);

/**
 * JSON text with every unprintable character escaped (JSON.stringify leaves C1 controls, line separators and bidi
 * overrides raw; C0 inside strings it escapes itself, and its own newlines are layout): a report or snapshot
 * printed with cat cannot hide or reorder text. Parses back to the same value.
 */
export function safeJson(value: unknown): string {
  return `${escapeRaw(JSON.stringify(value, null, 2))}\n`;
}

/** `JSON.stringify(value, null, 2)` nested `depth` levels deep (its newlines are layout: strings hold none raw). */
function nested(value: unknown, depth: number): string {
  return (JSON.stringify(value, null, 2) ?? 'null').replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * The same value as `safeJson(value)`, in pieces: the arrays under `streamed` top-level keys are written one
 * element per line (compact), so a report with thousands of findings (or a snapshot with thousands of tables)
 * never exists as one string in memory, is a third smaller, and diffs and greps finding by finding. Everything
 * else is laid out as safeJson does. A test holds it parsing to the same value.
 */
export function* safeJsonChunks(value: object, streamed: readonly string[]): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function' && typeof v !== 'symbol');
  if (entries.length === 0) {
    yield '{}\n';
    return;
  }
  yield '{';
  for (const [i, [key, v]] of entries.entries()) {
    const head = `${i === 0 ? '' : ','}\n  ${escapeRaw(JSON.stringify(key))}: `;
    if (!streamed.includes(key) || !Array.isArray(v) || v.length === 0) {
      yield head + escapeRaw(nested(v, 1));
      continue;
    }
    yield `${head}[`;
    for (const [j, item] of v.entries()) {
      const element = item === undefined || typeof item === 'function' || typeof item === 'symbol' ? 'null' : JSON.stringify(item);
      // Separator and element apart: the writer joins its pieces once, instead of each element being copied here.
      yield j === 0 ? '\n    ' : ',\n    ';
      yield escapeRaw(element);
    }
    yield '\n  ]';
  }
  yield '\n}\n';
}
