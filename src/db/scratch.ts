import pg from 'pg';
import { UserError } from '../model/user-error.js';

/**
 * A writable connection, for the one command that writes: `verify`, on a database the user declared disposable
 * (--scratch), and the demo on its own embedded database. Every query goes over the extended protocol, one
 * statement per message, like the read-only session; nothing here is read-only or bounded by default, so
 * nothing else may use it.
 */
export class ScratchConnection {
  private constructor(private readonly client: pg.Client, readonly pid: number) {}

  static async open(url: string, applicationName: string): Promise<ScratchConnection> {
    const client = new pg.Client({ connectionString: url, application_name: applicationName });
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw new UserError(`pgrescue: cannot connect to ${applicationName.replace(/^pgrescue /, '')} database: ${(error as Error).message}`);
    }
    const result = await client.query<{ pid: number }>({ text: 'SELECT pg_backend_pid() AS pid', values: [], queryMode: 'extended' } as pg.QueryConfig);
    const connection = new ScratchConnection(client, result.rows[0]!.pid);
    // Its own statements are not the app's: keep them out of pg_stat_statements where the role may.
    await connection.query("SET pg_stat_statements.track = 'none'").catch(() => undefined);
    return connection;
  }

  async query<Row extends object = Record<string, unknown>>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    const result = await this.client.query({ text, values: params as unknown[], queryMode: 'extended' } as pg.QueryConfig);
    return result.rows as Row[];
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
