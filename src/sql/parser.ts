import { fingerprintSync, loadModule, parsePlPgSQLSync, parseSync } from 'libpg-query';
import type { ParseResult } from '@pgsql/types';
import { dollarTag } from './quote.js';

let loaded: Promise<void> | null = null;

/** libpg-query is WASM: load it once before any synchronous parse (the CLI sets how V8 compiles it: src/cli/main.ts). */
export function ensureParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

export function parseTree(sql: string): ParseResult {
  return parseSync(sql);
}

export function fingerprint(sql: string): string {
  return fingerprintSync(sql);
}

/** What a PL/pgSQL block (a DO body) holds: its SQL statements, and the kinds of its block statements. */
export interface PlpgsqlBlock {
  readonly statements: readonly string[];
  readonly kinds: readonly string[];
}

/**
 * The SQL inside a DO block's body, read by PostgreSQL's own PL/pgSQL parser: every statement it would run
 * (execsql, PERFORM), so a check of a migration can look inside a block as it does at top level.
 */
export function plpgsqlBlock(body: string): PlpgsqlBlock {
  const tag = dollarTag(body, 'pgrescue_block');
  const parsed = parsePlPgSQLSync(`CREATE FUNCTION pgrescue_block() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`) as unknown;
  const statements: string[] = [];
  const kinds: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if (key.startsWith('PLpgSQL_stmt_')) kinds.push(key.slice('PLpgSQL_stmt_'.length));
      if (key === 'PLpgSQL_expr') {
        const expr = value as { query?: string; parseMode?: number };
        if (expr.query !== undefined && (expr.parseMode ?? 0) === 0) statements.push(expr.query);
      }
      walk(value);
    }
  };
  walk(parsed);
  return { statements, kinds };
}
