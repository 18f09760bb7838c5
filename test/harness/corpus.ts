import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli.js';
import { execSql, freshName } from './server.js';
import type { TestServer } from './server.js';

/** The evaluation corpus beside the project (../shared/corpus): real applications' schemas, used in place. */
export const CORPUS = join(PROJECT_ROOT, '..', 'shared', 'corpus');

/** Why a corpus test cannot run here, or null when it can. */
export function corpusMissing(name: string): string | null {
  return existsSync(join(CORPUS, name, 'schema.sql')) ? null : `${join(CORPUS, name, 'schema.sql')} is not on this machine`;
}

/** A database holding one corpus schema (roles.sql first), with pg_stat_statements, analyzed. */
export async function loadCorpus(server: TestServer, name: string): Promise<string> {
  const url = await server.createDatabase(freshName(name));
  await execSql(url, await readFile(join(CORPUS, 'roles.sql'), 'utf8'));
  await execSql(url, await readFile(join(CORPUS, name, 'schema.sql'), 'utf8'));
  // pg_dump empties search_path for its session; this is a new one. Untracked, so the reset leaves no statement
  // behind: a schema with no workload names no app role (rls-bypassed would otherwise read the loader as the app).
  await execSql(url, "SET pg_stat_statements.track = 'none'; CREATE EXTENSION IF NOT EXISTS pg_stat_statements; ANALYZE; SELECT pg_stat_statements_reset();");
  return url;
}
