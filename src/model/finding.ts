import type { Category, Severity } from './severity.js';

/** The object a finding is about. Only identifiers: never row values. */
export interface FindingObject {
  readonly schema: string;
  readonly table: string;
  readonly columns?: readonly string[];
  readonly expression?: string;
  readonly index?: string;
  readonly constraint?: string;
  readonly policy?: string;
  readonly role?: string;
  /** A function or procedure (then `table` holds its name too). */
  readonly routine?: string;
}

/** A statement as it appears in a report: normalized text only, never literals. */
export interface StatementRef {
  readonly queryid: string;
  readonly query: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly rows: number;
}

export type LockLevel =
  | 'none'
  | 'ACCESS SHARE'
  | 'ROW EXCLUSIVE'
  | 'SHARE UPDATE EXCLUSIVE'
  | 'SHARE ROW EXCLUSIVE'
  | 'SHARE'
  | 'ACCESS EXCLUSIVE';

/**
 * How much a step promises. `safe`: additive and lock-safe, changes no data (concurrent indexes, constraints whose
 * data check found no violation, read-only reports) — written by default. `review`: drops, constraints with
 * measured violations, type changes, anything that rewrites or deletes data. `decision`: depends on a product
 * decision (row-level security and who owns a row, which duplicate to keep, what an orphan means): written as a
 * template that refuses to run until edited.
 */
export type Risk = 'safe' | 'review' | 'decision';
export const RISKS: readonly Risk[] = ['safe', 'review', 'decision'];

/** One step of a fix. `transactional: false` steps (CONCURRENTLY) must run alone, outside a transaction. */
export interface Migration {
  readonly risk: Risk;
  readonly name: string;
  readonly up: string;
  readonly down: string;
  readonly transactional: boolean;
  readonly lock: LockLevel;
  /** Destructive steps (drops, deletes) are written to their own clearly named files. */
  readonly destructive?: boolean;
  /** For a `decision` step: the decision to make, in one sentence (also the template's header). */
  readonly decision?: string;
  /** For an index build: what it builds, so a plan can leave out one that another planned index covers. */
  readonly index?: { readonly schema: string; readonly table: string; readonly keys: readonly string[]; readonly unique: boolean; readonly where: string | null };
}

export type Confidence = 'exact' | 'sampled' | 'inferred' | 'unconfirmed';

/** The fix for a data check that could not run, for the message of an unconfirmed finding. */
export function confirmHint(cause: string | undefined, role: string): string {
  if (cause === 'privilege') return `the check could not read the table; GRANT pg_read_all_data TO ${role}; would confirm it`;
  if (cause === 'timeout') return 'the check hit its time limit; a longer --data-check-timeout would confirm it';
  if (cause === 'lock') return 'the check waited on another session\'s lock; a later scan would confirm it';
  return 'the check could not run (see the warnings)';
}

export type EvidenceValue = string | number | boolean | null | readonly EvidenceValue[] | { readonly [key: string]: EvidenceValue };

export interface Finding {
  readonly id: string;
  readonly rule: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly title: string;
  readonly message: string;
  readonly object: FindingObject;
  readonly statements?: readonly StatementRef[];
  readonly evidence: { readonly [key: string]: EvidenceValue };
  readonly remediation: string;
  /**
   * How sure the claim is: exact (counted on all rows), sampled (counted on a bounded sample), inferred (from
   * the catalog, names or statistics), unconfirmed (the check that would prove it could not run; the message
   * says why and what grant or flag would confirm it). Absent means inferred.
   */
  readonly confidence?: Confidence;
  /** A fix may need several ordered steps; the JSON report shows the first as `migration` and all as `migrations`. */
  readonly migrations?: readonly Migration[];
}

/**
 * What a rule's detect returns: the finding without what the rule's meta already says. The engine adds rule,
 * category and title (a draft may override the title), and the id from the object and `key` unless given.
 */
export type FindingDraft = Omit<Finding, 'id' | 'rule' | 'category' | 'title'> & {
  readonly id?: string;
  /** The id's suffix: "<rule>:<schema>.<table>:<key>". */
  readonly key?: string;
  readonly title?: string;
};

/** Stable key "<rule>:<schema>.<table>[:<suffix>]", used by baseline and ignore files. */
export function findingId(rule: string, object: { schema: string; table: string }, suffix?: string): string {
  const base = `${rule}:${object.schema}.${object.table}`;
  return suffix ? `${base}:${suffix}` : base;
}
