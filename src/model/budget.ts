/** Latency budgets (`--budget p95=500ms,list=300ms,mean=100ms`, or `budget` in the config), in milliseconds. */
export interface Budget {
  readonly p95Ms?: number;
  readonly listMs?: number;
  readonly meanMs?: number;
}

/** What the report says about the budget: its values and the statements over them (slow-query findings). */
export interface BudgetSummary extends Budget {
  readonly over: readonly { readonly findingId: string; readonly p95EstimateMs: number; readonly budgetMs: number }[];
}
