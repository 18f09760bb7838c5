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
export function safetySettings(options: SessionOptions): [string, string][] {
  return [
    ['default_transaction_read_only', 'on'],
    ['statement_timeout', String(Math.trunc(options.statementTimeoutMs))],
    ['lock_timeout', String(Math.trunc(options.lockTimeoutMs))],
    ['idle_in_transaction_session_timeout', '60000'],
    ['application_name', 'pgrescue'],
  ];
}

/** pgrescue's own queries are left out of pg_stat_statements where the role may say so (see Session.quiet). */
const UNTRACKED: [string, string] = ['pg_stat_statements.track', 'none'];

/**
 * The settings as one statement with every name and value a parameter: one constant text, and no constant for
 * pg_stat_statements to store at parse time. When tracking is turned off first, the statement itself is not
 * recorded either (the extension decides at its end).
 */
function settingsStatement(settings: readonly [string, string][]): { text: string; params: string[] } {
  return {
    text: `SELECT ${settings.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, false)`).join(', ')}`,
    params: settings.flat(),
  };
}

/** A pool client that remembers what the server said at startup about the role (is_superuser). */
class ObservedClient extends pg.Client {
  superuser: boolean | null = null;

  constructor(config?: string | pg.ClientConfig) {
    super(config);
    (this as unknown as { connection: NodeJS.EventEmitter }).connection.on('parameterStatus', (m: { parameterName: string; parameterValue: string }) => {
      if (m.parameterName === 'is_superuser') this.superuser = m.parameterValue === 'on';
    });
  }
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
  /** Clients that already run with the current settings. */
  private safe = new WeakSet<pg.PoolClient>();
  /** Whether pgrescue's own queries stay out of pg_stat_statements (a superuser, or SET granted on PG15+). */
  quiet = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly target: ConnectionTarget,
    private readonly settings: readonly [string, string][],
  ) {}

  static async open(target: ConnectionTarget, options: SessionOptions = DEFAULT_SESSION_OPTIONS): Promise<Session> {
    const pool = new pg.Pool({
      connectionString: target.url,
      application_name: 'pgrescue',
      connectionTimeoutMillis: options.connectTimeoutMs,
      max: 3,
      Client: ObservedClient,
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
    if (!session.quiet) await session.askToBeQuiet();
    return session;
  }

  /**
   * A role that is not a superuser may still have been granted SET on pg_stat_statements.track (PG15+): ask
   * once (one constant text), and if so, every connection turns tracking off from then on. Otherwise pgrescue's
   * texts are few and constant (table reads share one), so they add a bounded number of entries, once.
   */
  private async askToBeQuiet(): Promise<void> {
    try {
      const [row] = await this.query<{ allowed: boolean }>(
        `SELECT current_setting('server_version_num')::int >= 150000 AND current_setting('pg_stat_statements.track', true) IS NOT NULL AS allowed`,
      );
      if (!row?.allowed) return;
      const [grant] = await this.query<{ allowed: boolean }>(`SELECT has_parameter_privilege('pg_stat_statements.track', 'SET') AS allowed`);
      if (!grant?.allowed) return;
    } catch {
      return; // a server that does not know the parameter: leave tracking alone.
    }
    this.quiet = true;
    this.safe = new WeakSet();
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
        if ((client as unknown as ObservedClient).superuser) this.quiet = true;
        const statement = settingsStatement(this.quiet ? [UNTRACKED, ...this.settings] : this.settings);
        await safe.query(statement.text, statement.params);
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
