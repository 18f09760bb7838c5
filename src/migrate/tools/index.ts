import { drizzle } from './drizzle.js';
import { knexTool, kysely, nodePgMigrate } from './js-files.js';
import type { ModuleStyle } from './js-files.js';
import { rails } from './rails.js';
import { dbmate, flyway, golangMigrate, plain, prisma, supabase } from './sql-files.js';
import type { MigrationTool, ToolName } from './tool.js';

/** The tool's format; knex's follows the project's module style. */
export function toolFormat(name: ToolName, moduleStyle: ModuleStyle = 'cjs'): MigrationTool {
  switch (name) {
    case 'plain':
      return plain;
    case 'prisma':
      return prisma;
    case 'drizzle':
      return drizzle;
    case 'supabase':
      return supabase;
    case 'knex':
      return knexTool(moduleStyle);
    case 'node-pg-migrate':
      return nodePgMigrate;
    case 'kysely':
      return kysely;
    case 'rails':
      return rails;
    case 'flyway':
      return flyway;
    case 'golang-migrate':
      return golangMigrate;
    case 'dbmate':
      return dbmate;
  }
}
