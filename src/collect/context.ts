import type { Session } from '../db/session.js';
import type { Warning } from '../model/snapshot.js';

/** What every collector receives: the session, the schemas in scope, and a place for warnings. */
export interface CollectContext {
  readonly session: Session;
  readonly schemas: readonly string[];
  readonly serverVersionNum: number;
  /** Relations (by OID) another session holds ACCESS EXCLUSIVE on: never read, only named in a warning. */
  readonly locked: ReadonlySet<number>;
  /** The role pgrescue connected as: named in the GRANT a warning suggests. */
  readonly role: string;
  readonly warn: (warning: Warning) => void;
  readonly maxStatements: number;
  /** statement_timeout of each bounded data check (orphans, duplicates, NULLs). */
  readonly dataCheckTimeoutMs: number;
}

/** Schemas never scanned: the system ones. */
export const SYSTEM_SCHEMA_FILTER = `n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'`;

/** int8 and numeric arrive as strings from `pg`; catalog counts fit a double. */
export function num(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : 0;
}

export function numOrNull(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return num(value);
}

export function isoOrNull(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
