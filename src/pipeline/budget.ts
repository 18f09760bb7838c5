import type { Budget, BudgetSummary } from '../model/budget.js';
import type { Config } from '../model/config.js';
import type { Report } from '../model/report.js';
import { UserError } from '../model/user-error.js';

/** Each budget name and the slow-query option it sets. */
const BUDGETS = { p95: 'p95BudgetMs', list: 'listBudgetMs', mean: 'meanBudgetMs' } as const;
type BudgetName = keyof typeof BUDGETS;
const FIELD: Record<BudgetName, keyof Budget> = { p95: 'p95Ms', list: 'listMs', mean: 'meanMs' };

/** "500ms", "0.5s" or "500" (milliseconds) → milliseconds. */
function duration(text: string, where: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(text);
  if (!m) throw new UserError(`pgrescue: ${where}: "${text}" is not a duration (write 500ms or 0.5s)`);
  const ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (ms <= 0) throw new UserError(`pgrescue: ${where}: a budget must be more than 0 ms`);
  return ms;
}

function named(name: string, where: string): BudgetName {
  if (name in BUDGETS) return name as BudgetName;
  throw new UserError(`pgrescue: ${where}: unknown budget "${name}" (use p95, list or mean: p95=500ms,list=300ms,mean=100ms)`);
}

/** `--budget p95=500ms,list=300ms` (repeatable). */
export function parseBudgetFlags(values: readonly string[] | undefined): Budget {
  const budget: Record<string, number> = {};
  for (const part of (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean)) {
    const [name, value] = part.split('=');
    if (value === undefined) throw new UserError(`pgrescue: --budget "${part}" must look like p95=500ms`);
    budget[FIELD[named(name!.trim(), '--budget')]] = duration(value, '--budget');
  }
  return budget;
}

/** The config's `budget` object ({"p95": "500ms"}), checked like the flag. */
export function budgetFromConfig(value: unknown, file: string): Budget {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UserError(`pgrescue: ${file}: "budget" must be an object like {"p95": "500ms", "list": "300ms"}`);
  const budget: Record<string, number> = {};
  for (const [name, v] of Object.entries(value)) budget[FIELD[named(name, file)]] = duration(String(v), `${file}: budget.${name}`);
  return budget;
}

export function hasBudget(budget: Budget): boolean {
  return budget.p95Ms !== undefined || budget.listMs !== undefined || budget.meanMs !== undefined;
}

/** The config with the budget as slow-query options (the flag wins over the config file's values). */
export function withBudget(config: Config, budget: Budget): Config {
  const options: Record<string, number | string | boolean> = { ...config.options };
  for (const [name, option] of Object.entries(BUDGETS) as [BudgetName, string][]) {
    const ms = budget[FIELD[name]];
    if (ms !== undefined) options[`slow-query.${option}`] = ms;
  }
  return { ...config, options };
}

/** The budget and the statements over it: slow-query findings (only new ones when a baseline is in use). */
export function budgetSummary(report: Report, budget: Budget): BudgetSummary {
  const over = report.findings
    .filter((f) => f.rule === 'slow-query' && f.baseline !== 'known')
    .map((f) => ({ findingId: f.id, p95EstimateMs: Number(f.evidence?.p95EstimateMs ?? 0), budgetMs: Number(f.evidence?.budgetMs ?? 0) }));
  return { ...budget, over };
}
