/**
 * The Snapshot: everything the analyzers may read, as plain JSON-serializable data.
 * `pgrescue snapshot` writes it; `pgrescue scan --snapshot` reads it back without a database.
 */
import type { AdvisorResult } from './advisor.js';
import type { LogScan } from './logs.js';

export const SNAPSHOT_VERSION = 1;

export interface Warning {
  readonly code: string;
  readonly message: string;
}

export interface DatabaseInfo {
  readonly name: string;
  readonly serverVersion: string;
  readonly serverVersionNum: number;
  readonly currentUser: string;
  /** When pg_stat_statements was last reset (PG14+), else null. */
  readonly statementsResetAt: string | null;
  /** When the cumulative table/index statistics were last reset, else null. */
  readonly statsResetAt: string | null;
  /** Server start: stats since then at most when no reset time is known. */
  readonly postmasterStartAt: string | null;
}

export interface Extension {
  readonly name: string;
  readonly version: string;
  readonly schema: string;
}

export interface Capabilities {
  readonly pgStatStatements: boolean;
  readonly hypopg: boolean;
  readonly hypopgAvailable: boolean;
  readonly pgStatsReadable: boolean;
  readonly statementsAllUsers: boolean;
}

export interface Column {
  readonly name: string;
  readonly attnum: number;
  readonly type: string;
  readonly typeCategory: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly identity: 'always' | 'by default' | null;
  readonly generated: boolean;
}

export interface TableStats {
  readonly seqScan: number;
  readonly seqTupRead: number;
  readonly idxScan: number;
  readonly nTupIns: number;
  readonly nTupUpd: number;
  /** Updates that were HOT (no index entry added); absent in snapshots taken before pgrescue read it. */
  readonly nTupHotUpd?: number;
  readonly nTupDel: number;
  readonly nLiveTup: number;
  readonly nDeadTup: number;
}

export interface Table {
  readonly schema: string;
  readonly name: string;
  readonly oid: number;
  readonly kind: 'table' | 'partitioned';
  readonly isPartition: boolean;
  readonly owner: string;
  readonly rlsEnabled: boolean;
  readonly rlsForced: boolean;
  readonly rowEstimate: number;
  /** PostgreSQL 14+ says the table was never analyzed (reltuples = -1): pg_stats has nothing for it. */
  readonly neverAnalyzed?: boolean;
  /** Heap, TOAST and indexes, from relpages (as of the last VACUUM/ANALYZE). */
  readonly totalBytes: number;
  /** The heap alone; 0 is measured, never estimated, so 0 means no row (absent in snapshots before 0.2). */
  readonly heapBytes?: number;
  readonly columns: readonly Column[];
  readonly stats: TableStats;
}

export interface Index {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly definition: string;
  readonly method: string;
  /** Key columns in order; null where the key is an expression. */
  readonly keyColumns: readonly (string | null)[];
  /** Expressions of the expression keys, in order (pg_get_expr). */
  readonly expressions: readonly string[];
  readonly includeColumns: readonly string[];
  /** Per-key opclass and collation and options, to tell true duplicates apart. */
  readonly opclasses: readonly string[];
  readonly collations: readonly string[];
  readonly options: readonly number[];
  readonly predicate: string | null;
  readonly unique: boolean;
  readonly primary: boolean;
  readonly valid: boolean;
  readonly bytes: number;
  readonly scans: number;
  /** Name of the constraint (PK, UNIQUE, EXCLUDE) this index backs, if any. */
  readonly constraint: string | null;
}

export type ConstraintType = 'primary' | 'foreign' | 'unique' | 'check' | 'exclusion' | 'not-null';

export interface ForeignKeyTarget {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly onDelete: string;
  readonly onUpdate: string;
}

export interface Constraint {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly type: ConstraintType;
  readonly columns: readonly string[];
  readonly definition: string;
  readonly validated: boolean;
  readonly references: ForeignKeyTarget | null;
}

export interface Policy {
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  readonly command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  readonly roles: readonly string[];
  readonly permissive: boolean;
  readonly using: string | null;
  readonly withCheck: string | null;
}

export interface Role {
  readonly name: string;
  readonly superuser: boolean;
  readonly bypassRls: boolean;
  readonly login: boolean;
  readonly memberOf: readonly string[];
}

export interface Grant {
  readonly schema: string;
  readonly table: string;
  /** Role name, or "PUBLIC". */
  readonly grantee: string;
  readonly privilege: string;
}

export interface Sequence {
  readonly schema: string;
  readonly name: string;
  readonly dataType: string;
  readonly lastValue: number | null;
  readonly minValue: number;
  readonly maxValue: number;
  readonly increment: number;
  /** The column that owns the sequence (serial / identity), with its type. */
  readonly ownedBy: { readonly table: string; readonly column: string; readonly columnType: string } | null;
}

export interface ColumnStats {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly nullFrac: number;
  /** pg_stats convention: positive = distinct count, negative = minus the fraction of rows. */
  readonly nDistinct: number;
  readonly avgWidth: number;
  readonly correlation: number | null;
}

/** How a bounded sample of a credential-like column's values classify by hash format: counts only. */
export interface SecretSample {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly sampled: number;
  /** Absent (older snapshots) means sampled; otherwise why no sample was read: the finding is then unconfirmed. */
  readonly failure?: 'timeout' | 'privilege' | 'lock' | 'error';
  /** Values matching each format (bcrypt, argon2, scrypt, pbkdf2, sha256Hex, sha512Hex, otherCrypt, md5OrSha1Hex). */
  readonly byPattern: Readonly<Record<string, number>>;
}

/** A function the planner may run while planning (IMMUTABLE or STABLE), written by a user, not an extension. */
export interface UserFunction {
  readonly schema: string;
  readonly name: string;
  /** 'i' immutable, 's' stable. */
  readonly volatility: string;
}

/**
 * What pgrescue needs to know of a function the app wrote, without keeping its code (a body can hold a key):
 * whether it reads who is signed in, which functions it calls, and how it runs.
 */
export interface Routine {
  readonly schema: string;
  readonly name: string;
  readonly language: string;
  readonly securityDefiner: boolean;
  /** Its body reads the session's identity: auth.uid(), auth.jwt(), current_setting(…), current_user. */
  readonly readsIdentity: boolean;
  /** Names it calls (lower case, qualified or not), at most 30: to follow identity checks through helpers. */
  readonly calls: readonly string[];
  /** Its own search_path is set (SET search_path = … on the function). */
  readonly searchPathSet: boolean;
  /** Supabase's API roles (anon, authenticated) that may EXECUTE it. */
  readonly executableByApi: readonly string[];
}

/** A view, as row-level security sees it: whose rights it reads the tables with, and who may read it. */
export interface ViewFacts {
  readonly schema: string;
  readonly name: string;
  readonly owner: string;
  /** security_invoker = true (PostgreSQL 15+): the caller's rights and policies apply. */
  readonly securityInvoker: boolean;
  /** The owner is a superuser or has BYPASSRLS: through the view, row-level security does not apply at all. */
  readonly ownerBypassesRls: boolean;
  /** Supabase's API roles (anon, authenticated) that may SELECT from it. */
  readonly readableByApi: readonly string[];
}

/** A bounded data check: counts only, with how much to trust them. */
export interface DataCheck {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly estimated: boolean;
  /** exact; sampled (TABLESAMPLE, counts are of the sample); timed-out or failed (no counts). */
  readonly confidence: 'exact' | 'sampled' | 'timed-out' | 'failed';
  readonly counts: Readonly<Record<string, number>>;
  /** Why a failed check failed: its fix differs (a grant, a longer timeout, a retry). */
  readonly failure?: 'timeout' | 'privilege' | 'lock' | 'error';
}

/**
 * The values of an enum-like column. `values` holds them only when `shown`: every value looks like a label and
 * is held by several rows; otherwise only how many there are (they may be card numbers or tokens).
 */
export interface ValueCheck {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly values: readonly string[];
  /** Distinct values seen (up to 21); null when the read failed. */
  readonly distinct?: number | null;
  readonly complete: boolean;
  /** Read from a sample (the table is larger than the exact-read limit); absent in older snapshots. */
  readonly estimated?: boolean;
  /** Absent in older snapshots (then values are shown as before). */
  readonly shown?: boolean;
  readonly failure?: 'timeout' | 'privilege' | 'lock' | 'error';
}

export interface DataChecks {
  /** rows, non_null, orphans per foreign-key candidate. */
  readonly foreignKeys: readonly DataCheck[];
  /** groups, rows, extra per unique candidate (columns hold its keys, e.g. "lower(email)"). */
  readonly uniques: readonly DataCheck[];
  /** rows, nulls per not-null candidate. */
  readonly nulls: readonly DataCheck[];
  /** The distinct values of enum-like columns (at most 20; complete = false when there are more). */
  readonly values: readonly ValueCheck[];
}

/** A pg_stat_statements entry. `query` is normalized by Postgres: constants are already $n. */
export interface StatementStat {
  readonly queryid: string;
  /** pgrescue's normalization (src/sql/normalize.ts): no literal, utility statements reduced to their kind. */
  readonly query: string;
  /** The text was reduced to its kind (it could hold a secret): not a parse failure. */
  readonly withheld?: boolean;
  readonly role: string | null;
  readonly calls: number;
  readonly rows: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly stddevMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  /** Estimate: mean + 1.645 stddev (normal approximation), clamped to [mean, max]. */
  readonly p95EstimateMs: number;
  readonly sharedBlksHit: number;
  readonly sharedBlksRead: number;
  readonly blkReadMs: number;
}

export interface Snapshot {
  readonly snapshotVersion: typeof SNAPSHOT_VERSION;
  readonly collectedAt: string;
  readonly database: DatabaseInfo;
  readonly settings: Readonly<Record<string, string>>;
  readonly extensions: readonly Extension[];
  readonly availableExtensions: readonly string[];
  readonly capabilities: Capabilities;
  readonly schemas: readonly string[];
  readonly tables: readonly Table[];
  readonly indexes: readonly Index[];
  readonly constraints: readonly Constraint[];
  readonly policies: readonly Policy[];
  readonly roles: readonly Role[];
  readonly grants: readonly Grant[];
  readonly sequences: readonly Sequence[];
  /** IMMUTABLE/STABLE functions outside the system and extensions (absent in older snapshots). */
  readonly userFunctions?: readonly UserFunction[];
  /** The app's functions (absent in snapshots before 0.3). */
  readonly routines?: readonly Routine[];
  /** The app's views (absent in snapshots before 0.3). */
  readonly views?: readonly ViewFacts[];
  readonly columnStats: readonly ColumnStats[];
  readonly secretSamples: readonly SecretSample[];
  readonly dataChecks: DataChecks;
  readonly statements: readonly StatementStat[];
  /** What the index advisor measured (what-if costs and the chosen set); null when it did not run. */
  readonly advisor: AdvisorResult | null;
  /** N+1 runs found in PostgreSQL logs (scan --log); null when no log was given. */
  readonly logs: LogScan | null;
  readonly warnings: readonly Warning[];
}
