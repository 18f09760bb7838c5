import { DEMO_SCHEMA_SQL, DEMO_SEED_SQL } from './demo-schema.js';

/** The demo database as one SQL file, for docker/initdb (kept equal by a test). */
export function demoSqlFile(): string {
  return `-- Generated from src/demo/demo-schema.ts: the pgrescue demo community database.\n-- Regenerate with: npm run docker:sql\nCREATE EXTENSION IF NOT EXISTS hypopg;\n${DEMO_SCHEMA_SQL.trim()}\n\n${DEMO_SEED_SQL.trim()}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\/src\//, '/src/'))) {
  process.stdout.write(demoSqlFile());
}
