import { safeStatementText } from '../sql/normalize.js';
import { quoteIdent } from '../sql/quote.js';
import type { CollectContext } from './context.js';
import { isoOrNull, num } from './context.js';
import type { Extension, StatementStat } from '../model/snapshot.js';
import type { SafeClient } from '../db/session.js';

/** The pg_stat_statements columns we read, by their name in each extension version. */
export interface StatementColumns {
  readonly total: string;
  readonly mean: string;
  readonly stddev: string;
  readonly min: string;
  readonly max: string;
  readonly blkRead: string | null;
  readonly toplevel: boolean;
}

/**
 * Map the view's actual columns to what we read: `total_time` became `total_exec_time` (1.8, PG13),
 * `blk_read_time` became `shared_blk_read_time` (1.11, PG17), `toplevel` appeared in 1.9 (PG14).
 */
export function statementColumns(available: ReadonlySet<string>): StatementColumns {
  const exec = available.has('total_exec_time');
  return {
    total: exec ? 'total_exec_time' : 'total_time',
    mean: exec ? 'mean_exec_time' : 'mean_time',
    stddev: exec ? 'stddev_exec_time' : 'stddev_time',
    min: exec ? 'min_exec_time' : 'min_time',
    max: exec ? 'max_exec_time' : 'max_time',
    blkRead: available.has('shared_blk_read_time') ? 'shared_blk_read_time' : available.has('blk_read_time') ? 'blk_read_time' : null,
    toplevel: available.has('toplevel'),
  };
}

/** A p95 estimate from mean and stddev (normal approximation), kept within what was observed. */
export function p95Estimate(mean: number, stddev: number, max: number): number {
  const estimate = mean + 1.645 * stddev;
  return Math.max(mean, max > 0 ? Math.min(estimate, max) : estimate);
}

export interface StatementsResult {
  readonly statements: StatementStat[];
  readonly resetAt: string | null;
  readonly allUsers: boolean;
}

/**
 * Read pg_stat_statements for the current database, top N by total time. Degrades with a warning that
 * says exactly what to run when the extension is missing, not preloaded, or not readable. `preload` is
 * shared_preload_libraries, or undefined when this role may not read it (then the query decides).
 */
export async function collectStatements(ctx: CollectContext, installed: readonly Extension[], available: readonly string[], preload: string | undefined): Promise<StatementsResult | null> {
  const ext = usableExtension(ctx, installed, available, preload);
  return ext ? readStatements(ctx, ext) : null;
}

/** The installed, preloaded pg_stat_statements, or null after a warning that says exactly what to run. */
function usableExtension(ctx: CollectContext, installed: readonly Extension[], available: readonly string[], preload: string | undefined): Extension | null {
  const ext = installed.find((e) => e.name === 'pg_stat_statements');
  const preloaded = preload === undefined || preload.split(',').map((s) => s.trim().replace(/^"|"$/g, '')).includes('pg_stat_statements');
  if (!ext) {
    ctx.warn({
      code: 'pg-stat-statements-missing',
      message: available.includes('pg_stat_statements')
        ? `pg_stat_statements is not installed in this database: workload rules (missing-index, slow-query, n-plus-one, unscoped-access) were skipped. Run: CREATE EXTENSION pg_stat_statements;${preloaded ? '' : " and add it to shared_preload_libraries (ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; then restart)"}`
        : 'pg_stat_statements is not available on this server: workload rules were skipped. Install the PostgreSQL contrib package, add pg_stat_statements to shared_preload_libraries, restart, then CREATE EXTENSION pg_stat_statements;',
    });
    return null;
  }
  if (!preloaded) {
    ctx.warn({
      code: 'pg-stat-statements-not-loaded',
      message: "pg_stat_statements is installed but not in shared_preload_libraries, so it records nothing: workload rules were skipped. Run: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; then restart PostgreSQL.",
    });
    return null;
  }
  return ext;
}

/**
 * The reads run one after another on one connection of their own: over the shared pool each would queue again
 * behind the long catalog queries, and the texts (normalized on the client) would arrive last instead of first.
 */
function readStatements(ctx: CollectContext, ext: Extension): Promise<StatementsResult | null> {
  return ctx.session.withClient((client) => readStatementsOn(client, ctx, ext));
}

async function readStatementsOn(client: SafeClient, ctx: CollectContext, ext: Extension): Promise<StatementsResult | null> {
  const view = `${quoteIdent(ext.schema)}.pg_stat_statements`;
  const columnRows = await client.query<{ attname: string }>(
    `SELECT attname::text AS attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [view],
  );
  const cols = statementColumns(new Set(columnRows.map((r) => r.attname)));
  const [priv] = await client.query<{ all_stats: boolean }>(
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS all_stats`,
  );
  const allUsers = priv?.all_stats ?? false;
  if (!allUsers) {
    ctx.warn({
      code: 'pg-stat-statements-own-only',
      message: `role ${quoteIdent(ctx.role)} can only see its own statements in pg_stat_statements: the workload of other roles was skipped. Run: GRANT pg_read_all_stats TO ${quoteIdent(ctx.role)};`,
    });
  }
  let rows: Record<string, unknown>[];
  try {
    rows = await client.query<Record<string, unknown>>(
      `
      SELECT s.queryid::text AS queryid, s.query, r.rolname::text AS role, s.calls, s.rows, count(*) OVER () AS entries, sum(s.${cols.total}) OVER () AS all_total,
             s.${cols.total} AS total, s.${cols.mean} AS mean, s.${cols.stddev} AS stddev,
             s.${cols.min} AS min, s.${cols.max} AS max,
             s.shared_blks_hit, s.shared_blks_read, ${cols.blkRead ? `s.${cols.blkRead}` : '0'} AS blk_read
      FROM ${view} s
      LEFT JOIN pg_roles r ON r.oid = s.userid
      WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        ${cols.toplevel ? 'AND s.toplevel' : ''}
        AND s.query IS NOT NULL AND s.query <> '<insufficient privilege>'
        AND s.query NOT LIKE '%/* pgrescue */%'
      ORDER BY s.${cols.total} DESC
      LIMIT $1`,
      // LIMIT NULL reads them all.
      [Number.isFinite(ctx.maxStatements) ? ctx.maxStatements : null],
    );
  } catch (error) {
    const message = (error as Error).message;
    ctx.warn({
      code: 'pg-stat-statements-unreadable',
      message: /shared_preload_libraries/.test(message)
        ? "pg_stat_statements must be loaded via shared_preload_libraries: workload rules were skipped. Run: ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'; then restart PostgreSQL."
        : `pg_stat_statements could not be read (${message}): workload rules were skipped. Run: GRANT pg_read_all_stats TO ${quoteIdent(ctx.role)};`,
    });
    return null;
  }
  const entries = num(rows[0]?.entries);
  if (entries > rows.length) {
    const all = num(rows[0]?.all_total);
    const read = rows.reduce((sum, r) => sum + num(r.total), 0);
    const share = all > 0 ? ((100 * (all - read)) / all).toFixed(1) : '0';
    ctx.warn({
      code: 'statements-capped',
      message: `--max-statements ${ctx.maxStatements} read ${rows.length} of ${entries} pg_stat_statements entries (those with the most total time): ${entries - rows.length} entries, ${share}% of the database time, were left out of every workload rule. Raise --max-statements or leave it unset to read them all.`,
    });
  }
  // Normalized (CPU) before the last round trip.
  const statements = rows.map(toStatementStat);
  let resetAt: string | null = null;
  try {
    const [info] = await client.query<{ stats_reset: Date | null }>(`SELECT stats_reset FROM ${quoteIdent(ext.schema)}.pg_stat_statements_info`);
    resetAt = isoOrNull(info?.stats_reset);
  } catch {
    // pg_stat_statements_info exists from 1.9 (PG14); older versions have no reset time.
  }
  return { statements, resetAt, allUsers };
}

/** One row of the view as pgrescue stores it: its own normalization of the text, and the p95 estimate. */
function toStatementStat(r: Record<string, unknown>): StatementStat {
  const mean = num(r.mean);
  const stddev = num(r.stddev);
  const max = num(r.max);
  const text = safeStatementText(String(r.query));
  return {
    queryid: String(r.queryid),
    query: text.text,
    ...(text.withheld ? { withheld: true } : {}),
    role: (r.role as string | null) ?? null,
    calls: num(r.calls),
    rows: num(r.rows),
    totalMs: num(r.total),
    meanMs: mean,
    stddevMs: stddev,
    minMs: num(r.min),
    maxMs: max,
    p95EstimateMs: p95Estimate(mean, stddev, max),
    sharedBlksHit: num(r.shared_blks_hit),
    sharedBlksRead: num(r.shared_blks_read),
    blkReadMs: num(r.blk_read),
  };
}
