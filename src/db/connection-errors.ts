import { UserError, EXIT_USAGE } from '../model/user-error.js';
import type { ConnectionTarget } from './connection-options.js';
import { maskSecrets } from './mask.js';

interface PgLikeError {
  readonly code?: string;
  readonly message?: string;
}

/** Turn a driver error raised while connecting into one actionable line (exit code 2). */
export function describeConnectionError(error: unknown, target: ConnectionTarget): UserError {
  const e = (error ?? {}) as PgLikeError;
  const where = `${target.host}:${target.port}`;
  const raw = maskSecrets(e.message ?? String(error), [target.password]);
  let message: string;
  switch (e.code) {
    case 'ECONNREFUSED':
      message = `connection refused at ${where}: is PostgreSQL running and listening there?`;
      break;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      message = `host "${target.host}" not found: check the host name in the URL`;
      break;
    case 'ETIMEDOUT':
      message = `connection to ${where} timed out: check the host, port and firewall`;
      break;
    case '28P01':
      message = `password authentication failed for user "${target.user}" at ${where}`;
      break;
    case '28000':
      message = `connection rejected for user "${target.user}" at ${where}: ${raw} (check pg_hba.conf and the role)`;
      break;
    case '3D000':
      message = `database "${target.database}" does not exist at ${where}`;
      break;
    case '53300':
      message = `too many connections at ${where}: the server refused a new session`;
      break;
    default:
      if (/timeout/i.test(raw)) message = `connection to ${where} timed out: check the host, port and firewall`;
      else if (/SSL|certificate/i.test(raw)) message = `SSL error connecting to ${where}: ${raw} (try sslmode=require or sslmode=disable in the URL)`;
      else message = `could not connect to ${target.display}: ${raw}`;
  }
  return new UserError(`pgrescue: ${message}`, EXIT_USAGE);
}
