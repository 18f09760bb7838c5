/**
 * Characters that a terminal or an editor acts on or hides rather than shows: C0 and C1 controls, DEL, the line
 * and paragraph separators, and the bidirectional marks and overrides. One definition for every place that
 * escapes text from the database (comments, identifiers, literals, terminal output, JSON).
 */
const BEYOND_C0 = '\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c';
const CLASS = `\\u0000-\\u001f${BEYOND_C0}`;

/** A fresh regular expression for one unprintable character (`g` to replace them all). */
export function unprintable(flags: '' | 'g' = ''): RegExp {
  return new RegExp(`[${CLASS}]`, flags);
}

/**
 * The same class without C0 controls: for text whose C0 characters are already escaped or are its own layout
 * (JSON.stringify output, where the only raw C0 character is the newline of its indentation).
 */
export function unprintableBeyondC0(flags: '' | 'g' = ''): RegExp {
  return new RegExp(`[${BEYOND_C0}]`, flags);
}
