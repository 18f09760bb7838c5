import { unprintable } from './unprintable.js';

/**
 * Text from the database (names, values, messages) written into a SQL comment. A `--` comment ends at a newline
 * or carriage return and a block comment at star-slash, so either would let the rest of a name run as SQL: both are
 * written as visible escapes, as are all other control characters (they could also drive a terminal that
 * shows the file).
 */
export function commentText(text: string): string {
  return escapeControls(text, { keepNewlines: false }).replace(/\*\//g, '*\\/').replace(/\/\*/g, '/\\*');
}

/** `-- ` followed by the sanitized text: always exactly one comment line. */
export function commentLine(text: string): string {
  return `-- ${commentText(text)}`;
}

/**
 * C0 and C1 control characters, DEL, and the Unicode line/paragraph separators and bidirectional overrides
 * (they reorder or hide what a reader sees) as `\xNN` / `\u{NNNN}`; a backslash stays itself.
 */
export function escapeControls(text: string, options: { readonly keepNewlines: boolean }): string {
  return text.replace(CONTROL, (ch) => {
    if (options.keepNewlines && (ch === '\n' || ch === '\t')) return ch;
    const code = ch.codePointAt(0)!;
    if (ch === '\n') return '\\n';
    if (ch === '\r') return '\\r';
    if (ch === '\t') return '\\t';
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
  });
}

const CONTROL = unprintable('g');
