/** Index advisor options and their documented defaults (docs/rules/missing-index.md). */
export interface AdvisorOptions {
  /** A statement is considered when its share of total time is at least this… */
  readonly minTimeShare: number;
  /** …and it ran at least this often; or when its mean time reaches `minMeanMs`. */
  readonly minCalls: number;
  readonly minMeanMs: number;
  /** Tables with fewer estimated rows are skipped: a scan is already cheap. */
  readonly minTableRows: number;
  /** Keep a candidate only when it cuts a statement's planner cost by at least this fraction. */
  readonly minCostReduction: number;
  /** Most key columns in a suggested index. */
  readonly maxKeyColumns: number;
  /** Estimated cost of maintaining one index entry per written row, in ms (charged per index). */
  readonly writeCostMs: number;
  /** An index (or combination) must save at least this share of the window's recurring database time. */
  readonly minSavedShare: number;
  /** Most what-if plans the choice may ask for (about 1–5 ms each); past it, it chooses from the costs known. */
  readonly maxWhatIfPlans: number;
}

export const DEFAULT_ADVISOR_OPTIONS: AdvisorOptions = {
  minTimeShare: 0.0005,
  minCalls: 5,
  minMeanMs: 50,
  minTableRows: 1000,
  minCostReduction: 0.5,
  maxKeyColumns: 3,
  writeCostMs: 0.01,
  minSavedShare: 0.001,
  maxWhatIfPlans: 10000,
};

export function advisorOptions(overrides: Readonly<Record<string, number | string | boolean>> = {}): AdvisorOptions {
  const out: Record<string, number> = { ...DEFAULT_ADVISOR_OPTIONS };
  for (const key of Object.keys(DEFAULT_ADVISOR_OPTIONS)) {
    const value = overrides[`missing-index.${key}`];
    if (value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out as unknown as AdvisorOptions;
}
