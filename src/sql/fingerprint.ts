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
 * values as one. Written by JSON.stringify with a replacer, so no canonical copy of the tree is built first (a third
 * faster on 5,000 statements; the text, and so every finding id, is the same: test/sql/fingerprint.test.ts).
 */
export function canonicalText(stmts: unknown): string {
  return JSON.stringify(stmts, canonicalMember);
}

function canonicalMember(key: string, value: unknown): unknown {
  if (POSITIONS.has(key)) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  if (isValue(value)) return VALUE;
  const expr = (value as { A_Expr?: { kind?: string; rexpr?: { List?: { items?: unknown[] } } } }).A_Expr;
  const items = expr?.rexpr?.List?.items;
  if (expr?.kind === 'AEXPR_IN' && items && items.length > 0 && items.every(isValue)) return { ...value, A_Expr: { ...expr, rexpr: { List: { items: [VALUE] } } } };
  return value;
}
