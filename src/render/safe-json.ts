/** Characters JSON.stringify leaves raw that still change what a reader sees: line separators, bidi overrides. */
const INVISIBLE = /[\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/**
 * JSON text with every control and bidirectional-override character escaped (JSON.stringify escapes C0 only):
 * a report or snapshot printed with cat cannot hide or reorder text. Parses back to the same value.
 */
export function safeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(INVISIBLE, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`).replace(/[\u007f-\u009f]/g, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`)}\n`;
}
