import { ensureParser } from '../../src/sql/parser.js';
import type { TestServer } from '../../test/harness/server.js';
import { startSystemPostgres, systemPostgresUnavailable } from '../../test/harness/system-postgres.js';

/** Exit 2 with the reason when the system PostgreSQL 15 (with HypoPG) a benchmark needs is not installed. */
export function requireSystemPostgres(bench: string): void {
  const reason = systemPostgresUnavailable();
  if (reason) {
    console.error(`bench/${bench}: ${reason}`);
    process.exit(2);
  }
}

/** The system PostgreSQL 15 started for a benchmark (with these settings), the SQL parser loaded. */
export async function benchServer(bench: string, settings: Readonly<Record<string, string>> = {}): Promise<TestServer> {
  requireSystemPostgres(bench);
  await ensureParser();
  return startSystemPostgres(settings);
}
