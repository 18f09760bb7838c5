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

/**
 * What the advisor concluded for one statement. `improved`: the chosen set cuts it; `rejected`: an index (or a
 * combination) would cut it but does not pay for its writes, or saves too little; `below-threshold`: no candidate
 * cuts it enough; `optimal`: the indexes it needs exist; `unplannable`: the planner could not be given it (why in
 * the reason); `one-off`: a load, backfill or DDL left out of the steady workload; the rest were not considered.
 */
export type StatementOutcome =
  | 'improved'
  | 'rejected'
  | 'below-threshold'
  | 'optimal'
  | 'unplannable'
  | 'one-off'
  | 'no-usable-predicate'
  | 'parse-failure'
  | 'tiny-tables'
  | 'below-floor'
  | 'not-a-query';

/** The numbers behind an outcome, for the report and the TUI. */
export interface OutcomeDetail {
  /** Database time of the statement in the stats window (ms). */
  readonly windowMs?: number;
  /** Best planner-cost cut any candidate set reached for it (0–100). */
  readonly bestReductionPct?: number;
  /** The indexes that reached it, when more than one was needed together. */
  readonly combination?: readonly string[];
  /** For `rejected`: time the indexes would save and cost in writes over the window (ms). */
  readonly savedMs?: number;
  readonly writeCostMs?: number;
  /** Costed with representative values (a custom plan), because the generic plan hid the win. */
  readonly customPlan?: boolean;
  /** How its text was repaired or typed to be planned. */
  readonly repairs?: readonly string[];
}

export interface StatementAdvice {
  readonly queryid: string;
  readonly outcome: StatementOutcome;
  /** Why, in words, for the report: "already uses index members_pkey", "parse error: …". */
  readonly reason: string;
  readonly costBefore: number | null;
  readonly costAfter: number | null;
  readonly plan: readonly PlanNote[];
  readonly detail?: OutcomeDetail;
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
  /** The same over the stats window the advice was measured on (what the choice compared, per call). */
  readonly savedMsInWindow?: number;
  readonly writeOverheadMsInWindow?: number;
  /** Chosen together with other indexes for a statement that needs both (keys of the others). */
  readonly withIndexes?: readonly string[];
  /** Costed with representative parameter values for at least one of its statements. */
  readonly customPlan?: boolean;
}

export interface AdvisorResult {
  /** "hypopg" when every number comes from the planner with hypothetical indexes; "heuristic" otherwise. */
  readonly engine: 'hypopg' | 'heuristic';
  readonly options: Readonly<Record<string, number>>;
  readonly statsAgeDays: number;
  /** The window the advice was measured on and what it means for the numbers. */
  readonly window?: AdvisorWindow;
  readonly statements: readonly StatementAdvice[];
  readonly chosen: readonly ChosenIndex[];
  /** What the advice cost: the plans asked of the server (EXPLAIN) and the advisor's wall time, ms. */
  readonly cost?: { readonly plans: number; readonly ms: number };
}

export interface AdvisorWindow {
  /** Minutes of pg_stat_statements history the advice rests on. */
  readonly minutes: number;
  /** Database time of the recurring statements in it (one-off loads and DDL left out), ms. */
  readonly recurringMs: number;
  /** Database time of the one-off statements left out, ms. */
  readonly oneOffMs: number;
  /** Share (0–1) of the considered statements' time the planner could not be given. */
  readonly unplannableShare: number;
  readonly caveats: readonly string[];
}
