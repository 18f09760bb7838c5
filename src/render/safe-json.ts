import { unprintable } from '../sql/unprintable.js';

const UNPRINTABLE = unprintable('g');

/**
 * JSON text with every unprintable character escaped (JSON.stringify leaves C1 controls, line separators and bidi
 * overrides raw; C0 inside strings it escapes itself, and its own newlines are layout): a report or snapshot
 * printed with cat cannot hide or reorder text. Parses back to the same value.
 */
export function safeJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(UNPRINTABLE, (ch) => (ch === '\n' ? ch : `\\u${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`))}\n`;
}
