import pg from 'pg';
import type { ConnectionTarget } from './connection-options.js';
import { marked } from './marker.js';
import { describeConnectionError } from './connection-errors.js';

export interface SessionOptions {
  /** Per-statement limit for every catalog and data query (ms). */
  readonly statementTimeoutMs: number;
  /** The tool never takes locks worth waiting for; give up quickly (ms). */
  readonly lockTimeoutMs: number;
  readonly connectTimeoutMs: number;
}

export const DEFAULT_SESSION_OPTIONS: SessionOptions = {
  statementTimeoutMs: 30_000,
  lockTimeoutMs: 2_000,
  connectTimeoutMs: 10_000,
};

/** The settings every pgrescue session runs with: read-only, bounded, identifiable. */
export function safetySettings(options: SessionOptions): string[] {
  return [
    `SET default_transaction_read_only = on`,
    `SET statement_timeout = ${Math.trunc(options.statementTimeoutMs)}`,
    `SET lock_timeout = ${Math.trunc(options.lockTimeoutMs)}`,
    `SET idle_in_transaction_session_timeout = 60000`,
    `SET application_name = 'pgrescue'`,
  ];
}

function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === undefined || code.startsWith('08') || code === '57P01';
}

/**
 * The only way pgrescue talks to a backend. Every query goes over the extended protocol (Parse/Bind/Execute),
 * which carries exactly one statement per message: even a mis-quoted name holding `; END; BEGIN READ WRITE; …`
 * is a syntax error, never a second statement that could end the read-only transaction.
 */
export interface SafeClient {
  query<Row extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

function safeClient(client: pg.PoolClient): SafeClient {
  return {
    async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
      // `queryMode` is in pg >= 8.14 but not yet in @types/pg.
      const config = { text: marked(text), values: params as unknown[], queryMode: 'extended' } as pg.QueryConfig;
      const result = await client.query(config);
      return result.rows as Row[];
    },
  };
}

/**
 * A read-only session over one small pool. Every connection is made safe before any other query runs:
 * the SET is the first query queued on a new client, so nothing can overtake it.
 */
export class Session {
  /** Clients that already run with the safety settings. */
  private readonly safe = new WeakSet<pg.PoolClient>();

  private constructor(
    private readonly pool: pg.Pool,
    readonly target: ConnectionTarget,
    private readonly settings: readonly string[],
  ) {}

  static async open(target: ConnectionTarget, options: SessionOptions = DEFAULT_SESSION_OPTIONS): Promise<Session> {
    const pool = new pg.Pool({
      connectionString: target.url,
      application_name: 'pgrescue',
      connectionTimeoutMillis: options.connectTimeoutMs,
      max: 3,
    });
    // An idle client error (server restart) must not crash the process.
    pool.on('error', () => undefined);
    const session = new Session(pool, target, safetySettings(options));
    try {
      await session.query('SELECT 1');
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw describeConnectionError(error, target);
    }
    return session;
  }

  async query<Row extends object>(text: string, params: readonly unknown[] = []): Promise<Row[]> {
    return this.withClient((client) => client.query<Row>(text, params));
  }

  /** Run work on one dedicated backend (HypoPG's hypothetical indexes live in one backend). */
  async withClient<T>(work: (client: SafeClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    const safe = safeClient(client);
    let broken = false;
    try {
      if (!this.safe.has(client)) {
        for (const setting of this.settings) await safe.query(setting);
        this.safe.add(client);
      }
      return await work(safe);
    } catch (error) {
      broken = isConnectionLoss(error);
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
