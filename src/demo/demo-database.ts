import pg from 'pg';
import { DEMO_SCHEMA_SQL, DEMO_SEED_SQL } from './demo-schema.js';

/** Create the demo schema and data in an empty database. */
export async function loadDemoDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(DEMO_SCHEMA_SQL);
    await client.query(DEMO_SEED_SQL);
    await client.query('SELECT pg_stat_statements_reset()');
    await client.query('SELECT pg_stat_reset()');
  } finally {
    await client.end();
  }
}
