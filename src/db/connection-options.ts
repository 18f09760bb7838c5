import { parse as parseConnectionString } from 'pg-connection-string';
import { UserError } from '../model/user-error.js';

export interface ConnectionTarget {
  /** Full URL when one was given; undefined means libpq-style PG* variables and ~/.pgpass. */
  readonly url: string | undefined;
  /** Human-readable description with the password masked, for messages. */
  readonly display: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly password: string | undefined;
}

/** A URL that does not parse cannot be masked reliably: none of it is echoed. */
const HIDDEN = 'not shown: it may hold a password';

/**
 * Resolve where to connect: --url, else DATABASE_URL, else the standard PG* variables (and ~/.pgpass,
 * which the `pg` driver reads itself when no password is given).
 */
export function resolveConnection(url: string | undefined, env: NodeJS.ProcessEnv = process.env): ConnectionTarget {
  const chosen = url ?? env.DATABASE_URL ?? undefined;
  if (chosen !== undefined && chosen.trim() !== '') {
    if (!/^postgres(ql)?:\/\//i.test(chosen)) {
      throw new UserError(`pgrescue: invalid database URL (${HIDDEN}): expected postgres://user:password@host:port/database`);
    }
    let parsed: ReturnType<typeof parseConnectionString>;
    try {
      parsed = parseConnectionString(chosen);
    } catch {
      throw new UserError(`pgrescue: invalid database URL (${HIDDEN}): it could not be parsed`);
    }
    const host = parsed.host ?? env.PGHOST ?? 'localhost';
    const port = Number(parsed.port ?? env.PGPORT ?? 5432);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new UserError(`pgrescue: invalid database URL (${HIDDEN}): port must be a number between 1 and 65535`);
    }
    const user = parsed.user ?? env.PGUSER ?? env.USER ?? 'postgres';
    const database = parsed.database ?? env.PGDATABASE ?? user;
    // Built from the parsed parts, not by masking the text: a password holding '@' or '/' cannot slip through.
    const display = `postgres://${encodeURIComponent(user)}${parsed.password ? ':****' : ''}@${host}:${port}/${encodeURIComponent(database)}`;
    return { url: chosen, display, host, port, user, database, password: parsed.password ?? undefined };
  }
  const host = env.PGHOST ?? 'localhost';
  const port = Number(env.PGPORT ?? 5432);
  const user = env.PGUSER ?? env.USER ?? 'postgres';
  const database = env.PGDATABASE ?? user;
  return {
    url: undefined,
    display: `postgres://${user}@${host}:${port}/${database} (from PG* variables)`,
    host,
    port,
    user,
    database,
    password: env.PGPASSWORD,
  };
}
