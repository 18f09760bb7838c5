import { after, before } from 'node:test';
import pg from 'pg';
import { startEmbedded } from '../../src/demo/embedded-server.js';
import type { EmbeddedOptions } from '../../src/demo/embedded-server.js';

/** A real PostgreSQL server for tests: embedded (PostgreSQL 18) or the system PostgreSQL 15 with HypoPG. */
export interface TestServer {
  readonly port: number;
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
  /** The server's log file, where the harness knows it (the system PostgreSQL's `pg_ctl -l`). */
  readonly logFile?: string;
}

let counter = 0;

/** A fresh database name, unique within the server. */
export function freshName(prefix = 'db'): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}

/**
 * Start one embedded server for the test file (before all tests) and stop it after. Returns an accessor
 * because the server exists only once `before` has run.
 */
export function useEmbeddedServer(options: EmbeddedOptions = {}): () => TestServer {
  let server: TestServer | null = null;
  before(async () => {
    server = await startEmbedded(options);
  });
  after(async () => {
    await server?.stop();
  });
  return () => {
    if (!server) throw new Error('test server not started');
    return server;
  };
}

/** Run SQL as the superuser on a database. */
export async function execSql(url: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

/** Create a database holding `schemaSql`, with pg_stat_statements installed and reset. */
export async function databaseWith(server: TestServer, schemaSql: string, prefix = 'db'): Promise<string> {
  const url = await server.createDatabase(freshName(prefix));
  await execSql(url, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements; ${schemaSql}`);
  // The fixture is the schema as it stands; the workload a test runs next is what the statistics should show.
  await execSql(url, 'ANALYZE; SELECT pg_stat_reset(); SELECT pg_stat_statements_reset();');
  return url;
}
