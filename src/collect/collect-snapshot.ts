import type { ProgressEvent } from '../model/progress.js';
import { installHypopg } from '../db/install-hypopg.js';
import type { Session } from '../db/session.js';
import { ensureParser } from '../sql/parser.js';
import { UserError } from '../model/user-error.js';
import { collectColumnStats } from './column-stats.js';
import { collectConstraints } from './constraints.js';
import type { CollectContext } from './context.js';
import { SYSTEM_SCHEMA_FILTER } from './context.js';
import { collectIndexes } from './indexes.js';
import { collectGrants, collectPolicies, collectRoles } from './security.js';
import { CHECK_TIMEOUT_MS, planDataChecks } from './data-checks.js';
import { planSecretSamples } from './secrets.js';
import { answerProbes } from './table-reads.js';
import { deriveScan } from '../derive/scan-state.js';
import type { ScanState } from '../derive/scan-state.js';
import { buildWorkloadInSlices } from '../derive/workload.js';
import { collectSequences } from './sequences.js';
import { collectRoutines, collectUserFunctions, collectViews } from './functions.js';
import { collectExtensions, collectServer, collectSettings } from './server.js';
import type { Snapshot, Table, Warning } from '../model/snapshot.js';
import { SNAPSHOT_VERSION } from '../model/snapshot.js';
import { platformOwner } from '../scope/platform.js';
import { collectStatements } from './statements.js';
import type { StatementsResult } from './statements.js';
import { collectTables } from './tables.js';
import { collectLockedRelations, describeHolder, withLockRetry } from './locks.js';
import type { LockHolder } from './locks.js';
import { compareText } from '../model/order.js';

export interface CollectOptions {
  /** Limit to these schemas; empty = every non-system schema. */
  readonly schemas: readonly string[];
  readonly maxStatements: number;
  /** statement_timeout of each data check (default 5 s); a timeout lowers the finding's confidence. */
  readonly dataCheckTimeoutMs?: number;
  /** Create the HypoPG extension first (the only write pgrescue ever makes, and only when asked). */
  readonly installHypopg?: boolean;
  /** Called as each step starts and ends, for progress display. */
  readonly onProgress?: (event: ProgressEvent) => void;
}


/** Every pg_stat_statements entry is read unless --max-statements caps it (then a warning gives the count left out). */
export const DEFAULT_MAX_STATEMENTS = Number.POSITIVE_INFINITY;

export const EMPTY_DATA_CHECKS = { foreignKeys: [], uniques: [], nulls: [], values: [] } as const;

/** Read everything the analyzers need, in one read-only session; each area degrades alone. */
export async function collectSnapshot(session: Session, options: CollectOptions): Promise<Snapshot> {
  return (await collectScan(session, options)).snapshot;
}

/**
 * The snapshot with what a scan derives from it (catalog lookups, the parsed workload), the workload parsed while
 * the data checks run. The index advisor is the next step (src/pipeline/advise.ts).
 */
export async function collectScan(session: Session, options: CollectOptions): Promise<ScanState> {
  await ensureParser();
  const warnings: Warning[] = [];
  const progress = options.onProgress ?? (() => undefined);
  const step = async <T>(name: string, fallback: T, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    progress({ step: name, state: 'start' });
    try {
      const result = await work();
      progress({ step: name, state: 'done', count: Array.isArray(result) ? result.length : undefined, elapsedMs: Date.now() - started });
      return result;
    } catch (error) {
      progress({ step: name, state: 'failed', elapsedMs: Date.now() - started });
      warnings.push({ code: `collect-${name}-failed`, message: `could not read ${name} (${(error as Error).message}): rules that need it were skipped` });
      return fallback;
    }
  };

  if (options.installHypopg) {
    const failure = await installHypopg(session);
    if (failure) warnings.push({ code: 'hypopg-install-failed', message: failure });
  }
  const database = await collectServer(session);
  const schemas = await resolveSchemas(session, options.schemas);
  const holders = await step('locks', [] as LockHolder[], () => collectLockedRelations({ session, schemas }));
  const locked = new Set(holders.map((h) => h.oid));
  const lockWarning = (h: LockHolder): void => {
    warnings.push({
      code: 'relation-locked',
      message: `${h.schema}.${h.name} is locked (ACCESS EXCLUSIVE) by another session, ${describeHolder(h)}: its size is estimated from the catalog and its data checks, samples and plans were skipped (unconfirmed). Scan again once that lock is released.`,
    });
  };
  holders.forEach(lockWarning);
  const ctx: CollectContext = {
    locked,
    session,
    schemas,
    serverVersionNum: database.serverVersionNum,
    role: database.currentUser,
    warn: (w) => warnings.push(w),
    maxStatements: options.maxStatements,
    dataCheckTimeoutMs: options.dataCheckTimeoutMs ?? CHECK_TIMEOUT_MS,
  };
  const settings = await step('settings', {} as Record<string, string>, () => collectSettings(session));
  const ext = await step('extensions', { installed: [], available: [] }, () => collectExtensions(session));
  // pg_stat_statements first: its texts are normalized on the client (CPU) while the server answers the catalog
  // queries below, instead of after them.
  const statementsRead = step('statements', null, () => collectStatements(ctx, ext.installed, ext.available, settings.shared_preload_libraries));
  // What the data checks need first (tables, indexes, constraints, column statistics), read at once over the
  // session's small pool (indexes take their column names from the tables once both are in).
  const reading = step('tables', [], () => withLockRetry({ session, schemas, locked }, lockWarning, () => collectTables(ctx)));
  const [tables, indexes, constraints, columnStats] = await Promise.all([
    reading,
    step('indexes', [], () => withLockRetry({ session, schemas, locked }, lockWarning, () => collectIndexes(ctx, reading))),
    step('constraints', [], () => collectConstraints(ctx, reading)),
    step('column statistics', [], () => collectColumnStats(ctx)),
  ]);
  const hypopg = ext.installed.some((e) => e.name === 'hypopg');
  const assemble = (late: Pick<Snapshot, 'indexes' | 'policies' | 'roles' | 'grants' | 'sequences' | 'userFunctions' | 'statements'> & Pick<Partial<Snapshot>, 'routines' | 'views'>, statementsResult: StatementsResult | null): Snapshot => ({
    snapshotVersion: SNAPSHOT_VERSION,
    collectedAt: new Date().toISOString(),
    database: { ...database, statementsResetAt: statementsResult?.resetAt ?? null },
    settings,
    extensions: ext.installed,
    availableExtensions: ext.available,
    capabilities: {
      pgStatStatements: statementsResult !== null,
      hypopg,
      hypopgAvailable: hypopg || ext.available.includes('hypopg'),
      // No statistics at all is unreadable only when some table with rows was analyzed (else there are none to read).
      pgStatsReadable: columnStats.length > 0 || tables.every((t) => t.rowEstimate <= 0 || t.neverAnalyzed === true),
      statementsAllUsers: statementsResult?.allUsers ?? false,
    },
    schemas,
    tables,
    constraints,
    columnStats,
    ...late,
    secretSamples: [],
    advisor: null,
    logs: null,
    dataChecks: EMPTY_DATA_CHECKS,
    warnings,
  });
  // The data checks start now, on the server, while the rest of the catalog is read and the statements are
  // normalized (client work); the workload is parsed while they run.
  const checks = planDataChecks(deriveScan(assemble({ indexes, policies: [], roles: [], grants: [], sequences: [], userFunctions: [], statements: [] }, null)));
  const secrets = planSecretSamples(tables);
  const checking = step('data checks', false, async () => {
    await answerProbes(ctx, [...checks.requests, ...secrets.requests]);
    return true;
  });
  // The workload is parsed as soon as the statements and tables are in (its column resolution needs nothing
  // else), while the data checks run on the server and the rest of the catalog is read.
  const statementsEarly = await statementsRead;
  const parsedWith = assemble({ indexes, policies: [], roles: [], grants: [], sequences: [], userFunctions: [], statements: statementsEarly?.statements ?? [] }, statementsEarly);
  const parsedScan = deriveScan(parsedWith);
  const parsing = buildWorkloadInSlices(parsedWith, parsedScan.catalog);
  const rest = Promise.all([
    statementsRead,
    step('policies', [], () => collectPolicies(ctx)),
    step('roles', [], () => collectRoles(ctx)),
    step('grants', [], () => collectGrants(ctx)),
    step('sequences', [], () => collectSequences(ctx)),
    step('functions', [], () => collectUserFunctions(ctx)),
    step('routines', [], () => collectRoutines(ctx)),
    step('views', [], () => collectViews(ctx)),
  ]);
  const [statementsResult, policies, roles, grants, sequences, userFunctions, routines, views] = await rest;
  const snapshot = assemble({ indexes, policies, roles, grants, sequences, userFunctions, routines, views, statements: statementsResult?.statements ?? [] }, statementsResult);
  const [read, workload] = await Promise.all([checking, parsing]);
  const dataChecks = read ? checks.finish(ctx) : EMPTY_DATA_CHECKS;
  const secretSamples = read ? secrets.finish(ctx) : [];
  const notJudged = tablesNotJudged(tables);
  if (notJudged) warnings.push(notJudged);
  // Catalog reads finish in any order: warnings are sorted so a snapshot is the same from run to run.
  const sorted = [...warnings].sort((a, b) => compareText(a.code, b.code) || compareText(a.message, b.message));
  const collected: Snapshot = { ...snapshot, dataChecks, secretSamples, warnings: sorted };
  // The same tables and statements the workload was parsed with: deriveScan keeps that parse.
  return deriveScan(collected, { snapshot: parsedWith, catalog: parsedScan.catalog, workload });
}

async function resolveSchemas(session: Session, wanted: readonly string[]): Promise<string[]> {
  const rows = await session.query<{ name: string }>(
    `SELECT n.nspname::text AS name FROM pg_namespace n WHERE ${SYSTEM_SCHEMA_FILTER}
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = n.oid AND d.deptype = 'e')
     ORDER BY 1`,
  );
  const all = rows.map((r) => r.name);
  if (wanted.length === 0) return all;
  const missing = wanted.filter((s) => !all.includes(s));
  if (missing.length > 0) {
    throw new UserError(`pgrescue: schema ${missing.map((s) => `"${s}"`).join(', ')} not found in database (have: ${all.join(', ') || 'none'})`);
  }
  return [...wanted];
}

/**
 * Say why the data-checked rules are silent on some tables, instead of leaving it to be guessed: an empty table has
 * no rows to judge (exact: nothing is wrong in it yet), and a never-analyzed one has no pg_stats (the estimate-based
 * checks have nothing to read; pgrescue never runs ANALYZE itself).
 */
function tablesNotJudged(tables: readonly Table[]): Warning | null {
  // Tables a platform or a migration tool manages (Supabase's auth, storage…) are not the user's to fill or analyze.
  const plain = tables.filter((t) => t.kind === 'table' && !t.isPartition && platformOwner(t.schema, t.name) === null);
  const empty = plain.filter((t) => t.heapBytes === 0);
  const unanalyzed = plain.filter((t) => (t.heapBytes ?? 0) > 0 && t.neverAnalyzed === true);
  if (empty.length === 0 && unanalyzed.length === 0) return null;
  const names = (list: readonly Table[]): string => `${list.slice(0, 5).map((t) => `${t.schema}.${t.name}`).join(', ')}${list.length > 5 ? ', …' : ''}`;
  const parts: string[] = [];
  if (empty.length > 0) parts.push(`${empty.length} of ${plain.length} tables are empty (${names(empty)}): the data-checked rules (missing-not-null, missing-foreign-key, missing-unique, plaintext-secret) have no rows to judge there`);
  if (unanalyzed.length > 0) parts.push(`${unanalyzed.length} tables with rows were never analyzed (${names(unanalyzed)}): pg_stats has nothing for them, so the checks that read statistics (missing-check, index sizes, missing-index candidates) skip them until ANALYZE runs (pgrescue never runs it)`);
  return { code: 'tables-not-judged', message: `${parts.join('; ')}.` };
}
