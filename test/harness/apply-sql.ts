import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { parseTree } from '../../src/sql/parser.js';

/** Split a SQL file into statements with the real parser (comments and quoting handled). */
export function splitStatements(sql: string): string[] {
  const tree = parseTree(sql);
  const bytes = Buffer.from(sql, 'utf8');
  return (tree.stmts ?? []).map((s) => {
    const start = s.stmt_location ?? 0;
    const end = s.stmt_len ? start + s.stmt_len : bytes.length;
    return bytes.subarray(start, end).toString('utf8').trim();
  });
}

/**
 * Apply migration files in order as psql would: one statement at a time on one session, so that
 * CONCURRENTLY statements run outside a transaction and BEGIN … COMMIT blocks stay together.
 */
export async function applyFiles(url: string, files: readonly string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const file of files) {
      for (const statement of splitStatements(await readFile(file, 'utf8'))) {
        try {
          await client.query(statement);
        } catch (error) {
          throw new Error(`${file}: ${(error as Error).message}\n${statement}`);
        }
      }
    }
  } finally {
    await client.end();
  }
}
