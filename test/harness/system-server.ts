import { after, before } from 'node:test';
import type { TestServer } from './server.js';
import { startSystemPostgres, systemPostgresUnavailable } from './system-postgres.js';

/**
 * The system PostgreSQL 15 with HypoPG for one test file. `skip` is the visible reason to pass to
 * `describe(name, { skip })` when it is not installed; tests never skip silently.
 */
export function useSystemServer(): { skip: string | false; server: () => TestServer } {
  const reason = systemPostgresUnavailable();
  let server: TestServer | null = null;
  if (!reason) {
    before(async () => {
      server = await startSystemPostgres();
    });
    after(async () => {
      await server?.stop();
    });
  }
  return {
    skip: reason ? `needs the system PostgreSQL 15 with HypoPG: ${reason}` : false,
    server: () => {
      if (!server) throw new Error('system PostgreSQL not started');
      return server;
    },
  };
}
