/**
 * Characters that a terminal or an editor acts on or hides rather than shows: C0 and C1 controls, DEL, the line
 * and paragraph separators, and the bidirectional marks and overrides. One definition for every place that
 * escapes text from the database (comments, identifiers, literals, terminal output, JSON).
 */
const CLASS = '\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\u200e\\u200f\\u061c';

/** A fresh regular expression for one unprintable character (`g` to replace them all). */
export function unprintable(flags: '' | 'g' = ''): RegExp {
  return new RegExp(`[${CLASS}]`, flags);
}
