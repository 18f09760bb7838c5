/**
 * Objects the user does not control: the schemas a platform or an extension manages (Supabase's auth, storage,
 * realtime…; pg_partman's templates; TimescaleDB's internals) and the bookkeeping tables of migration tools. Their
 * design is someone else's (GoTrue's deny-all tables are deliberate), so findings on them are left out of reports
 * unless asked for (--include-platform). They are still read: an app's tables reference auth.users.
 */
const PLATFORM_SCHEMAS = new Map<string, string>([
  ['auth', 'Supabase Auth (GoTrue)'],
  ['storage', 'Supabase Storage'],
  ['realtime', 'Supabase Realtime'],
  ['_realtime', 'Supabase Realtime'],
  ['supabase_functions', 'Supabase Edge Functions'],
  ['supabase_migrations', 'the Supabase CLI'],
  ['graphql', 'pg_graphql'],
  ['graphql_public', 'pg_graphql'],
  ['vault', 'Supabase Vault'],
  ['pgsodium', 'pgsodium'],
  ['pgsodium_masks', 'pgsodium'],
  ['net', 'pg_net'],
  ['cron', 'pg_cron'],
  ['pgbouncer', 'PgBouncer'],
  ['partman', 'pg_partman'],
  ['_timescaledb_internal', 'TimescaleDB'],
  ['_timescaledb_catalog', 'TimescaleDB'],
  ['_timescaledb_config', 'TimescaleDB'],
  ['_timescaledb_cache', 'TimescaleDB'],
  ['timescaledb_information', 'TimescaleDB'],
  ['hdb_catalog', 'Hasura'],
  ['_analytics', 'Supabase Logflare'],
]);

/** Migration tools' bookkeeping tables, by exact name (any schema). */
const MIGRATION_TABLES = new Map<string, string>([
  ['schema_migrations', 'Rails, golang-migrate, dbmate or Ecto'],
  ['ar_internal_metadata', 'Rails'],
  ['_prisma_migrations', 'Prisma'],
  ['__drizzle_migrations', 'Drizzle'],
  ['knex_migrations', 'Knex'],
  ['knex_migrations_lock', 'Knex'],
  ['pgmigrations', 'node-pg-migrate'],
  ['kysely_migration', 'Kysely'],
  ['kysely_migration_lock', 'Kysely'],
  ['SequelizeMeta', 'Sequelize'],
  ['typeorm_metadata', 'TypeORM'],
  ['flyway_schema_history', 'Flyway'],
  ['goose_db_version', 'goose'],
  ['__diesel_schema_migrations', 'Diesel'],
  ['django_migrations', 'Django'],
  ['alembic_version', 'Alembic'],
  ['__EFMigrationsHistory', 'Entity Framework'],
]);

/** Who manages the object, when the user does not: the reason it is left out; null for the user's own objects. */
export function platformOwner(schema: string, table: string): string | null {
  const bySchema = PLATFORM_SCHEMAS.get(schema);
  if (bySchema) return bySchema;
  return MIGRATION_TABLES.get(table) ?? null;
}
