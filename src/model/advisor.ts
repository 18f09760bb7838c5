// Index advisor data: candidates, what-if costs and the chosen set. Plain JSON, recorded in the snapshot.

export interface IndexKey {
  /** Column name, or an expression such as "lower(email)". */
  readonly column: string;
  readonly expression: boolean;
  readonly desc: boolean;
}

export interface CandidateIndex {
  /** Stable key: schema.table(keys) where predicate. */
  readonly key: string;
  readonly schema: string;
  readonly table: string;
  readonly keys: readonly IndexKey[];
  /** Partial index predicate, e.g. "deleted_at IS NULL". */
  readonly where: string | null;
  /** queryids of the statements this candidate was built from. */
  readonly fromStatements: readonly string[];
}

/** A notable node of a statement's generic plan, to explain slowness without an index to blame. */
export interface PlanNote {
  readonly kind: 'seq-scan' | 'sort' | 'nested-loop' | 'hash-join' | 'aggregate';
  readonly relation: string | null;
  readonly rows: number;
  readonly cost: number;
}

export type StatementOutcome =
  | 'improved'
  | 'optimal'
  | 'no-usable-predicate'
  | 'parse-failure'
  | 'plan-failed'
  | 'tiny-tables'
  | 'below-floor'
  | 'not-a-query';

export interface StatementAdvice {
  readonly queryid: string;
  readonly outcome: StatementOutcome;
  /** Why, in words, for the report: "already uses index members_pkey", "parse error: …". */
  readonly reason: string;
  readonly costBefore: number | null;
  readonly costAfter: number | null;
  readonly plan: readonly PlanNote[];
}

export interface CostedCandidate {
  readonly candidate: CandidateIndex;
  /** Estimated size of the index, from hypopg_relation_size (verified) or from row count and widths. */
  readonly estimatedBytes: number;
  /** Cost of each statement with this index alone, by queryid. */
  readonly costs: Readonly<Record<string, number>>;
}

export interface ChosenIndex {
  readonly candidate: CandidateIndex;
  readonly estimatedBytes: number;
  /** Statements this index serves in the final plan, with costs before and after the whole chosen set. */
  readonly statements: readonly { readonly queryid: string; readonly costBefore: number; readonly costAfter: number }[];
  /** Estimated database time saved per day (ms), from pg_stat_statements time scaled by the cost reduction. */
  readonly savedMsPerDay: number;
  /** Rows written per day to the table, each of which must also update this index. */
  readonly writesPerDay: number;
  /** Estimated extra write time per day (ms). */
  readonly writeOverheadMsPerDay: number;
}

export interface AdvisorResult {
  /** "hypopg" when every number comes from the planner with hypothetical indexes; "heuristic" otherwise. */
  readonly engine: 'hypopg' | 'heuristic';
  readonly options: Readonly<Record<string, number>>;
  readonly statsAgeDays: number;
  readonly statements: readonly StatementAdvice[];
  readonly chosen: readonly ChosenIndex[];
}
