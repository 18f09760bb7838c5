/**
 * The verdict of `pgrescue verify` on one migration file. `ok` when nothing else applies; every other verdict
 * but `partial-fix` fails the run (exit code 1).
 */
export type Verdict =
  | 'ok'
  /** Took longer than --slow. */
  | 'slow'
  /** Held a lock that makes writers wait (SHARE or stronger) for longer than --max-writer-wait. */
  | 'blocks-writers'
  /** A captured statement that planned (or ran) before fails after it: permission denied, an RLS error… */
  | 'breaks-statement'
  /** A captured SELECT returns fewer rows, as the app's role, with the same parameters. */
  | 'loses-rows'
  /** The file failed to apply (rolled back). */
  | 'fails'
  /** An unedited decision template: it stopped at its guard, on purpose. */
  | 'undecided'
  /** Every step of the fix is in the folder, yet the finding is still reported. */
  | 'finding-remains'
  /** Some of the fix's steps are not in the folder (written only with --include review/decision): not a failure. */
  | 'partial-fix'
  /** Its down file failed, or there is none. */
  | 'not-reversible'
  /** Not applied: an earlier file failed. */
  | 'not-run';

export const PASSING_VERDICTS: ReadonlySet<Verdict> = new Set(['ok', 'partial-fix']);

export interface StatementOutcome {
  readonly queryid: string;
  /** Normalized text (parameters as $n): never a value. */
  readonly query: string;
  readonly error?: string;
  readonly rowsBefore?: readonly number[];
  readonly rowsAfter?: readonly number[];
  readonly costBefore?: number | null;
  readonly costAfter?: number | null;
}

export interface FileLocks {
  /** Strongest lock per table, in SQL words (ACCESS EXCLUSIVE…). */
  readonly tables: Readonly<Record<string, string>>;
  readonly writersBlockedMs: number;
  readonly readersBlockedMs: number;
  /** Time the migration waited for another session's lock. */
  readonly waitedMs: number;
  readonly samples: number;
  readonly intervalMs: number;
}

export interface FileVerdict {
  readonly file: string;
  /** The finding the file fixes (pgrescue's header), when known. */
  readonly fixes: string | null;
  readonly risk: string | null;
  readonly verdicts: readonly Verdict[];
  readonly failed: boolean;
  /** Why, in words, one line per verdict other than ok. */
  readonly reasons: readonly string[];
  readonly applyMs: number | null;
  readonly error: string | null;
  readonly locks: FileLocks | null;
  /** gone: the finding is no longer reported after the folder was applied; null when not checked. */
  readonly finding: 'gone' | 'remains' | 'partial' | null;
  readonly broken: readonly StatementOutcome[];
  readonly lostRows: readonly StatementOutcome[];
  /** Statements whose plan cost changed by more than 10%, either way. */
  readonly costChanges: readonly StatementOutcome[];
  readonly downMs: number | null;
  readonly downError: string | null;
}

export interface VerifyResult {
  readonly scratch: { readonly database: string; readonly serverVersion: string };
  readonly migrations: string;
  /** The role statements were replayed as. */
  readonly role: string;
  readonly files: readonly FileVerdict[];
  readonly replay: {
    readonly source: 'sampled' | 'log';
    readonly statements: number;
    /** SELECTs executed with parameter values, rows counted. */
    readonly executed: number;
    /** Of those, run with the exact logged statements and values (--log). */
    readonly fromLog: number;
    /** Planned only: writes, row-locking SELECTs, parameters with no column to sample from. */
    readonly plannedOnly: number;
    /** Failed already before any migration (not the migrations' doing). */
    readonly failingBefore: number;
    /** DB time of the captured statements that were replayed, as a share of all captured. */
    readonly dbTimeShare: number;
  };
  readonly schemaRestored: boolean | null;
  readonly schemaDiff: readonly string[];
  readonly thresholds: { readonly slowMs: number; readonly writerWaitMs: number };
  readonly applyMs: number;
  readonly verifyMs: number;
  readonly ok: boolean;
}
