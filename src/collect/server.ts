import type { Session } from '../db/session.js';
import type { DatabaseInfo, Extension } from '../model/snapshot.js';
import { isoOrNull, num } from './context.js';

/** Settings analyzers and users care about when reading a report. */
const SETTINGS = [
  'shared_preload_libraries',
  'max_connections',
  'shared_buffers',
  'work_mem',
  'random_page_cost',
  'effective_cache_size',
  'track_io_timing',
  'log_min_duration_statement',
  'log_statement',
  'log_line_prefix',
  'log_destination',
  'pg_stat_statements.track',
  'pg_stat_statements.max',
  'server_version',
];

export async function collectServer(session: Session): Promise<DatabaseInfo> {
  const [row] = await session.query<{
    name: string;
    version: string;
    version_num: string;
    current_user: string;
    stats_reset: Date | null;
    postmaster_start: Date | null;
  }>(`
    SELECT current_database() AS name,
           current_setting('server_version') AS version,
           current_setting('server_version_num') AS version_num,
           current_user AS current_user,
           (SELECT stats_reset FROM pg_stat_database WHERE datname = current_database()) AS stats_reset,
           pg_postmaster_start_time() AS postmaster_start`);
  if (!row) throw new Error('server information query returned no row');
  return {
    name: row.name,
    serverVersion: row.version,
    serverVersionNum: num(row.version_num),
    currentUser: row.current_user,
    statementsResetAt: null,
    statsResetAt: isoOrNull(row.stats_reset),
    postmasterStartAt: isoOrNull(row.postmaster_start),
  };
}

export async function collectSettings(session: Session): Promise<Record<string, string>> {
  const rows = await session.query<{ name: string; setting: string; unit: string | null }>(
    // pgrescue's own session overrides some (timeouts, pg_stat_statements.track): report what the app gets.
    `SELECT name, CASE WHEN source = 'session' THEN reset_val ELSE setting END AS setting, unit FROM pg_settings WHERE name = ANY($1::text[])`,
    [SETTINGS],
  );
  const settings: Record<string, string> = {};
  for (const row of rows) settings[row.name] = row.unit && row.unit !== '' ? `${row.setting}${row.unit}` : row.setting;
  return settings;
}

export async function collectExtensions(session: Session): Promise<{ installed: Extension[]; available: string[] }> {
  const installed = await session.query<Extension>(`
    SELECT e.extname AS name, e.extversion AS version, n.nspname AS schema
    FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace ORDER BY e.extname`);
  const available = await session.query<{ name: string }>(`SELECT name FROM pg_available_extensions ORDER BY name`);
  return { installed, available: available.map((r) => r.name) };
}
