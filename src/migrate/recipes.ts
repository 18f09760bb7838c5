import type { Migration, Risk } from '../model/finding.js';
import { qualified, quoteIdent } from '../sql/quote.js';
import { concurrentIndexDefinition } from '../sql/index-definition.js';
import { commentLine } from '../sql/comment.js';

/** Lock and statement timeouts at the top of every file: never queue behind a long transaction. */
export const LOCK_TIMEOUT = '2s';

function header(): string {
  return `SET lock_timeout = '${LOCK_TIMEOUT}';\nSET statement_timeout = 0;`;
}

export interface IndexSpec {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** Key parts already rendered: quoted columns, or "(lower(email))"-style expressions, with DESC where needed. */
  readonly keys: readonly string[];
  readonly include?: readonly string[];
  readonly where?: string | null;
  readonly unique?: boolean;
  readonly method?: string;
}

export function renderIndexKeys(columns: readonly string[]): string[] {
  return columns.map(quoteIdent);
}

export function createIndexSql(spec: IndexSpec): string {
  const using = spec.method && spec.method !== 'btree' ? ` USING ${spec.method}` : '';
  const include = spec.include && spec.include.length > 0 ? ` INCLUDE (${spec.include.map(quoteIdent).join(', ')})` : '';
  const where = spec.where ? ` WHERE ${spec.where}` : '';
  return `CREATE ${spec.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(spec.name)} ON ${qualified(spec.schema, spec.table)}${using} (${spec.keys.join(', ')})${include}${where};`;
}

/** CREATE INDEX CONCURRENTLY: its own file, outside any transaction; down drops it the same way. */
export function createIndexMigration(spec: IndexSpec, why: string, risk: Risk = 'safe'): Migration {
  return {
    risk,
    name: `create_index_${spec.name}`,
    up: `${commentLine(why)}\n-- CONCURRENTLY: reads and writes go on while it builds. If it fails it leaves an INVALID index:\n-- drop it with DROP INDEX CONCURRENTLY and run this file again.\n${header()}\n${createIndexSql(spec)}\n`,
    down: `${header()}\nDROP INDEX CONCURRENTLY IF EXISTS ${qualified(spec.schema, spec.name)};\n`,
    transactional: false,
    lock: 'SHARE UPDATE EXCLUSIVE',
    index: { schema: spec.schema, table: spec.table, keys: spec.keys, unique: spec.unique === true, where: spec.where ?? null },
  };
}

/** DROP INDEX CONCURRENTLY, with the definition kept so the down migration rebuilds it exactly. */
export function dropIndexMigration(schema: string, name: string, definition: string, why: string, review = false): Migration {
  const drop = `DROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)};`;
  const rebuild = concurrentDefinition(definition, name);
  return {
    risk: 'review',
    name: `drop_index_${name}`,
    up: `${commentLine(why)}\n${review ? '-- Review before running: uncomment the DROP once you have checked that no plan needs this index.\n' : ''}${header()}\n${review ? `${commentLine(drop)}\nSELECT 1;` : drop}\n`,
    down: `${header()}\n${rebuild}\n`,
    transactional: false,
    lock: 'SHARE UPDATE EXCLUSIVE',
    destructive: true,
  };
}

/** Turn pg_get_indexdef output into a concurrent, re-runnable CREATE INDEX statement. */
export function concurrentDefinition(definition: string, name: string): string {
  return concurrentIndexDefinition(definition, name);
}

/** Re-create an index from its definition, concurrently: its own file. */
export function recreateIndexMigration(schema: string, name: string, definition: string, why: string): Migration {
  return {
    risk: 'safe',
    name: `create_index_${name}`,
    up: `${commentLine(why)}\n${header()}\n${concurrentDefinition(definition, name)}\n`,
    down: `${header()}\nDROP INDEX CONCURRENTLY IF EXISTS ${qualified(schema, name)};\n`,
    transactional: false,
    lock: 'SHARE UPDATE EXCLUSIVE',
  };
}
