import { createHash } from 'node:crypto';
import { parseTree } from './parser.js';

/**
 * A statement's identity that holds across servers and PostgreSQL versions, for finding ids (baselines, ignore
 * lists): a hash of its parse tree with everything a server or version changes taken out — source positions,
 * parameter numbers, constant values, and the length of `IN (…)` lists (PostgreSQL 18 squashes a list into its first
 * parameter and a comment where 17 writes `IN ($1, $2, $3)`). Unlike pg_stat_statements' queryid it is the same on every server; unlike
 * libpg-query's fingerprint it tells `= $1` from `= ANY($1)`. A text that does not parse is hashed as written,
 * with whitespace runs and case folded.
 */
export function statementFingerprint(sql: string): string {
  try {
    return treeFingerprint(parseTree(sql).stmts ?? []);
  } catch {
    return hash(sql.replace(/\s+/g, ' ').trim().toLowerCase());
  }
}

/** The same identity from a parse tree already at hand (the workload parses each statement once). */
export function treeFingerprint(stmts: unknown): string {
  return hash(canonicalText(stmts));
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Keys that hold source positions (PostgreSQL 18 added the list bounds). */
const POSITIONS = new Set(['location', 'stmt_location', 'stmt_len', 'rexpr_list_start', 'rexpr_list_end']);

/** A value pgrescue does not tell apart: a parameter or a constant. */
const VALUE = { value: true };

function isValue(node: unknown): boolean {
  return node !== null && typeof node === 'object' && ('ParamRef' in node || 'A_Const' in node);
}

/**
 * `JSON.stringify` of the parse tree without positions, with every parameter or constant as VALUE and IN lists of
 * values as one, written straight from the tree: no canonical copy is built first (the text, and so every finding
 * id, is the same as stringifying such a copy; test/sql/fingerprint.test.ts holds it).
 */
export function canonicalText(node: unknown): string {
  const out: string[] = [];
  write(node, out);
  return out.join('');
}

const VALUE_TEXT = JSON.stringify(VALUE);

function write(node: unknown, out: string[]): void {
  if (node === null || typeof node !== 'object') {
    out.push(JSON.stringify(node) ?? 'null');
    return;
  }
  if (Array.isArray(node)) {
    out.push('[');
    node.forEach((item, i) => {
      if (i > 0) out.push(',');
      if (item === undefined || typeof item === 'function') out.push('null');
      else write(item, out);
    });
    out.push(']');
    return;
  }
  if (isValue(node)) {
    out.push(VALUE_TEXT);
    return;
  }
  const expr = (node as { A_Expr?: { kind?: string; rexpr?: { List?: { items?: unknown[] } } } }).A_Expr;
  const items = expr?.rexpr?.List?.items;
  const inList = expr?.kind === 'AEXPR_IN' && items !== undefined && items.length > 0 && items.every(isValue);
  const inListRexpr = (key: string): boolean => {
    if (key !== 'rexpr') return false;
    out.push(IN_LIST_TEXT);
    return true;
  };
  writeObject(node as Record<string, unknown>, out, (key, value) => {
    if (!inList || key !== 'A_Expr') return false;
    writeObject(value as Record<string, unknown>, out, inListRexpr);
    return true;
  });
}

/** An IN list of values, one VALUE long. */
const IN_LIST_TEXT = `{"List":{"items":[${VALUE_TEXT}]}}`;

/** An object's members as JSON.stringify writes them, positions left out; `special` writes a member its own way. */
function writeObject(node: Record<string, unknown>, out: string[], special: (key: string, value: unknown) => boolean): void {
  out.push('{');
  let first = true;
  for (const [key, value] of Object.entries(node)) {
    if (POSITIONS.has(key) || value === undefined || typeof value === 'function') continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    if (!special(key, value)) write(value, out);
  }
  out.push('}');
}
