/**
 * A generated database for the scan-cost benchmark (issue: scan cost): `tables` tables shaped like a community
 * app's (≈3 indexes and ≈1.8 foreign keys each, a quarter of them holding rows) and `statements` distinct
 * statements run once each, so pg_stat_statements holds them. Names are plain; the point is size, not shape.
 */
import pg from 'pg';

export interface ScaleSize {
  readonly tables: number;
  readonly statements: number;
  /** Rows in each table that holds rows (every 4th table). */
  readonly rowsPerTable: number;
}

const name = (i: number): string => `t${String(i).padStart(5, '0')}`;

/** The DDL of table i: a primary key, one or two foreign keys to earlier tables, a few typical columns. */
function tableDdl(i: number): string[] {
  const t = name(i);
  const columns = [
    'id bigserial PRIMARY KEY',
    i > 0 ? `parent_id bigint REFERENCES ${name(i - 1)}(id)` : 'parent_id bigint',
    i > 1 && i % 5 !== 0 ? `member_id bigint REFERENCES ${name(i - 2)}(id)` : 'member_id bigint',
    'name text',
    'email text',
    'status text',
    'api_token text',
    'amount float8',
    'created_at timestamp DEFAULT now()',
    'updated_at timestamptz DEFAULT now()',
  ];
  const ddl = [`CREATE TABLE ${t} (${columns.join(', ')})`];
  if (i % 3 !== 0) ddl.push(`CREATE INDEX ${t}_parent_idx ON ${t} (parent_id)`);
  ddl.push(`CREATE INDEX ${t}_created_idx ON ${t} (created_at)`);
  if (i % 2 === 0) ddl.push(`CREATE INDEX ${t}_status_idx ON ${t} (status, created_at)`);
  else ddl.push(`CREATE UNIQUE INDEX ${t}_email_key ON ${t} (lower(email))`);
  return ddl;
}

/** The i-th distinct statement of the workload and its parameters. */
function statement(i: number, tables: number): { text: string; params: unknown[] } {
  const t = name(i % tables);
  switch (Math.floor(i / tables) % 4) {
    case 0:
      return { text: `SELECT id, name FROM ${t} WHERE parent_id = $1`, params: [1] };
    case 1:
      return { text: `SELECT count(*) FROM ${t} WHERE status = $1`, params: ['active'] };
    case 2:
      return { text: `UPDATE ${t} SET name = $1 WHERE id = $2`, params: ['x', 1] };
    default:
      return { text: `SELECT * FROM ${t} WHERE member_id = $1 ORDER BY created_at DESC LIMIT 20`, params: [1] };
  }
}

export async function generateScaleDatabase(url: string, size: ScaleSize): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (let i = 0; i < size.tables; i += 50) {
      const ddl: string[] = [];
      for (let j = i; j < Math.min(size.tables, i + 50); j++) ddl.push(...tableDdl(j));
      await client.query(`BEGIN; ${ddl.join(';\n')}; COMMIT`);
    }
    for (let i = 0; i < size.tables; i += 4) {
      await client.query(
        `INSERT INTO ${name(i)} (name, email, status, api_token, amount)
         SELECT 'n' || g, 'user' || g || '@example.com', CASE WHEN g % 7 = 0 THEN NULL ELSE 'active' END, md5(g::text), g * 1.5
         FROM generate_series(1, ${Math.trunc(size.rowsPerTable)}) g`,
      );
    }
    // Steady state, as a production database is: vacuumed and analyzed (autovacuum would otherwise run during the scans).
    await client.query('VACUUM ANALYZE');
    await client.query('SELECT pg_stat_statements_reset()');
    for (let i = 0; i < size.statements; i++) {
      const s = statement(i, size.tables);
      await client.query(s.text, s.params);
    }
  } finally {
    await client.end();
  }
}
