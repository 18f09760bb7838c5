import { fingerprintSync, loadModule, parseSync } from 'libpg-query';
import type { ParseResult } from '@pgsql/types';

let loaded: Promise<void> | null = null;

/** libpg-query is WASM: load it once before any synchronous parse. */
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
