import { scanSync } from 'libpg-query';
import type { ScanToken } from 'libpg-query';

/**
 * pg_stat_statements replaces every constant with $n, also where the grammar needs a literal: `EXTRACT($1 FROM ts)`,
 * `INTERVAL $2`, `interval $1 day`, `date $1`, type modifiers `numeric($1, $2)`, and (on some versions) ordinal
 * `GROUP BY $1` / `ORDER BY $1`. Such a text no longer parses or plans. This puts back a constant of the right
 * kind so the planner can cost the statement; which constant does not change the plan's shape. Pure: scanner
 * tokens only, never a pattern over the text, so strings and comments are never touched.
 */
export interface RepairedText {
  readonly text: string;
  /** What was changed, in words ("EXTRACT field", "typed literal", …); empty when the text was left alone. */
  readonly repairs: readonly string[];
}

/** Keywords that, written before a literal, make a typed constant: `INTERVAL '1 day'`, `DATE '2020-01-01'`. */
const TYPED_LITERAL = new Map([
  ['interval', 'interval'],
  ['date', 'date'],
  ['time', 'time'],
  ['timestamp', 'timestamp'],
  ['timestamptz', 'timestamptz'],
]);
const INTERVAL_FIELDS = new Set(['year', 'month', 'day', 'hour', 'minute', 'second']);

const lower = (t: ScanToken | undefined): string => (t ? t.text.toLowerCase() : '');
const isParam = (t: ScanToken | undefined): boolean => t?.tokenName === 'PARAM';

interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly why: string;
}

export function repairNormalized(query: string): RepairedText {
  if (!/\$\d/.test(query)) return { text: query, repairs: [] };
  let tokens: ScanToken[];
  try {
    tokens = scanSync(query).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  } catch {
    return { text: query, repairs: [] };
  }
  const edits: Edit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const word = lower(t);
    // EXTRACT($1 FROM …): the field must be a word; epoch is valid for every date/time type.
    if (word === 'extract' && lower(tokens[i + 1]) === '(' && isParam(tokens[i + 2]) && lower(tokens[i + 3]) === 'from') {
      edits.push({ start: tokens[i + 2]!.start, end: tokens[i + 2]!.end, text: 'epoch', why: 'EXTRACT field' });
      continue;
    }
    // INTERVAL $2 [DAY [TO SECOND]], DATE $1, TIMESTAMP [WITH[OUT] TIME ZONE] $1 → $n::type
    const typed = TYPED_LITERAL.get(word);
    if (typed && lower(tokens[i - 1]) !== '::' && lower(tokens[i - 1]) !== 'as') {
      let j = i + 1;
      let type = typed;
      if ((word === 'timestamp' || word === 'time') && (lower(tokens[j]) === 'with' || lower(tokens[j]) === 'without') && lower(tokens[j + 1]) === 'time' && lower(tokens[j + 2]) === 'zone') {
        if (lower(tokens[j]) === 'with') type = `${word}tz`;
        j += 3;
      }
      if (!isParam(tokens[j])) continue;
      const param = tokens[j]!;
      let end = param.end;
      let k = j + 1;
      if (word === 'interval') {
        while (INTERVAL_FIELDS.has(lower(tokens[k])) || lower(tokens[k]) === 'to') end = tokens[k++]!.end;
      }
      edits.push({ start: t.start, end, text: `${param.text}::${type}`, why: 'typed literal' });
      i = k - 1;
      continue;
    }
    // ::numeric($1, $2) or CAST(x AS varchar($1)): a type modifier must be a constant; the plan does not need it.
    if (word === '::' || (word === 'as' && insideCast(tokens, i))) {
      let j = i + 1;
      while (tokens[j] && /^[a-z_][a-z0-9_$]*$/i.test(tokens[j]!.text) && !isParam(tokens[j])) j++;
      if (j > i + 1 && lower(tokens[j]) === '(' && isParam(tokens[j + 1])) {
        let k = j + 1;
        while (isParam(tokens[k]) && (lower(tokens[k + 1]) === ',' || lower(tokens[k + 1]) === ')')) {
          k += 2;
          if (lower(tokens[k - 1]) === ')') break;
        }
        if (lower(tokens[k - 1]) === ')') edits.push({ start: tokens[j]!.start, end: tokens[k - 1]!.end, text: '', why: 'type modifier' });
      }
      continue;
    }
    // GROUP BY $1, $2 / ORDER BY $1 DESC: ordinals that became parameters. The n-th one is taken as position n.
    if ((word === 'group' || word === 'order') && lower(tokens[i + 1]) === 'by' && inQueryLevel(tokens, i)) {
      let j = i + 2;
      let ordinal = 0;
      while (tokens[j]) {
        const item = tokens[j]!;
        ordinal++;
        const next = lower(tokens[j + 1]);
        const endsItem = next === ',' || next === '' || next === ')' || next === ';' || ['asc', 'desc', 'nulls', 'order', 'limit', 'offset', 'having', 'window', 'for', 'fetch', 'union', 'intersect', 'except'].includes(next);
        if (isParam(item) && endsItem) edits.push({ start: item.start, end: item.end, text: String(ordinal), why: `${word.toUpperCase()} BY position` });
        // skip to the next top-level comma of this list, or stop at its end
        let depth = 0;
        let k = j;
        for (; tokens[k]; k++) {
          const w = lower(tokens[k]);
          if (w === '(') depth++;
          else if (w === ')') {
            if (depth === 0) break;
            depth--;
          } else if (depth === 0 && (w === ',' || ['limit', 'offset', 'having', 'window', 'for', 'fetch', 'union', 'intersect', 'except', 'order'].includes(w)) && k > j) break;
        }
        if (lower(tokens[k]) !== ',') break;
        j = k + 1;
      }
    }
  }
  if (edits.length === 0) return { text: query, repairs: [] };
  let text = '';
  let at = 0;
  for (const e of edits.sort((a, b) => a.start - b.start)) {
    if (e.start < at) continue;
    text += query.slice(at, e.start) + e.text;
    at = e.end;
  }
  text += query.slice(at);
  return { text, repairs: [...new Set(edits.map((e) => e.why))] };
}

/** The index of the open parenthesis that encloses token i, or -1 at the top level of the statement. */
function enclosingOpen(tokens: readonly ScanToken[], i: number): number {
  let depth = 0;
  for (let k = i - 1; k >= 0; k--) {
    const w = tokens[k]!.text;
    if (w === ')') depth++;
    else if (w === '(') {
      if (depth === 0) return k;
      depth--;
    }
  }
  return -1;
}

/** Whether token i sits at a query level (the statement, or a parenthesized subquery), not in OVER (…) or an aggregate call. */
function inQueryLevel(tokens: readonly ScanToken[], i: number): boolean {
  const open = enclosingOpen(tokens, i);
  return open < 0 || ['select', 'with', 'values'].includes(lower(tokens[open + 1]));
}

/** Whether the AS at i is the one of CAST(x AS type): the innermost open parenthesis follows CAST. */
function insideCast(tokens: readonly ScanToken[], i: number): boolean {
  const open = enclosingOpen(tokens, i);
  return open > 0 && lower(tokens[open - 1]) === 'cast';
}
