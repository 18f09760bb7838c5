import { createHash } from 'node:crypto';
import { unprintable } from './unprintable.js';

/** PostgreSQL's reserved key words (and the type/function names that cannot be bare column names). */
const RESERVED = new Set(
  `all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column
concurrently constraint create cross current_catalog current_date current_role current_schema current_time
current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from
full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime
localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning
right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user
using variadic verbose when where window with between bigint bit boolean char character coalesce dec decimal exists
extract float greatest grouping inout int integer interval least national nchar none normalize nullif numeric out
overlay position precision real row setof smallint substring time timestamp treat trim values varchar xmlattributes
xmlconcat xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable`.split(/\s+/),
);

const UNPRINTABLE = unprintable();

/** `\XXXX` or `\+XXXXXX`: the escapes of U&"…" identifiers. */
function unicodeEscape(ch: string): string {
  const code = ch.codePointAt(0)!;
  return code <= 0xffff ? `\\${code.toString(16).padStart(4, '0')}` : `\\+${code.toString(16).padStart(6, '0')}`;
}

/**
 * Quote an identifier when it needs it: anything but lower-case ASCII words that are not reserved. A name with
 * control characters is written as a Unicode-escaped identifier (U&"…"), so generated SQL never carries a raw
 * ESC, CR or newline that could drive a terminal showing the file or confuse a tool splitting it into lines.
 * The one function every module uses to put a name into SQL.
 */
export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  if (UNPRINTABLE.test(name)) {
    const body = [...name].map((ch) => (ch === '\\' ? '\\\\' : ch === '"' ? '""' : UNPRINTABLE.test(ch) ? unicodeEscape(ch) : ch)).join('');
    return `U&"${body}"`;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A string literal, only where a bind parameter is impossible (DDL such as CHECK … IN (…)). Values with control
 * characters or backslashes use the E'…' form with escapes, which reads the same whatever
 * standard_conforming_strings is.
 */
export function quoteLiteral(value: string): string {
  if (!UNPRINTABLE.test(value) && !value.includes('\\')) return `'${value.replace(/'/g, "''")}'`;
  const body = [...value]
    .map((ch) => {
      if (ch === "'") return "''";
      if (ch === '\\') return '\\\\';
      if (!UNPRINTABLE.test(ch)) return ch;
      const code = ch.codePointAt(0)!;
      return code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16).padStart(8, '0')}`;
    })
    .join('');
  return `E'${body}'`;
}

const MAX_IDENT_BYTES = 63;

/**
 * Build an object name from parts, as Postgres would truncate it at 63 bytes — but with a short hash
 * so two long names never collide after truncation.
 */
export function objectName(parts: readonly string[], suffix: string): string {
  const base = `${parts.join('_')}_${suffix}`;
  if (Buffer.byteLength(base, 'utf8') <= MAX_IDENT_BYTES) return base;
  const hash = createHash('sha1').update(base).digest('hex').slice(0, 8);
  const tail = `_${hash}_${suffix}`;
  let head = parts.join('_');
  while (Buffer.byteLength(head + tail, 'utf8') > MAX_IDENT_BYTES) head = head.slice(0, -1);
  return head + tail;
}

/** One key of an index or a GROUP BY as structured data: a column, compared case-insensitively when `lower`. */
export interface KeyPart {
  readonly column: string;
  readonly lower: boolean;
}

/** A key of an index or a GROUP BY built from structured data: a quoted column, optionally under lower(). */
export function keySql(part: KeyPart, alias?: string): string {
  const column = alias ? `${alias}.${quoteIdent(part.column)}` : quoteIdent(part.column);
  return part.lower ? `lower(${column})` : column;
}

/** A possibly schema-qualified function name from a parse tree, each part quoted. */
export function functionName(parts: readonly string[]): string {
  return parts.map(quoteIdent).join('.');
}

/**
 * A relation as a regclass literal. regclass input reads only plain double-quoted names (not U&"…"), so the
 * name is always double-quoted inside the text, and the text itself goes through quoteLiteral.
 */
export function regclassLiteral(schema: string, name: string): string {
  const plain = (s: string): string => `"${s.replace(/"/g, '""')}"`;
  return `${quoteLiteral(`${plain(schema)}.${plain(name)}`)}::regclass`;
}

/** A dollar-quote tag (`$tag$`) that `body` does not contain, so nothing in the body can end the quote. */
export function dollarTag(body: string, base: string): string {
  let tag = base;
  while (body.includes(`$${tag}$`)) tag += '_x';
  return `$${tag}$`;
}
