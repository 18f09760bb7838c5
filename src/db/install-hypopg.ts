import type { Session } from './session.js';

/**
 * CREATE EXTENSION hypopg in its own explicit READ WRITE transaction: the one write pgrescue makes, only with
 * --install-hypopg. Returns a message when it could not, for a warning.
 */
export async function installHypopg(session: Session): Promise<string | null> {
  try {
    await session.withClient(async (client) => {
      await client.query('BEGIN READ WRITE');
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS hypopg');
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
    return null;
  } catch (error) {
    return `--install-hypopg: CREATE EXTENSION hypopg failed (${(error as Error).message}); index advice stays unverified. Install the package (postgresql-<version>-hypopg) and run it as a role allowed to create extensions.`;
  }
}
