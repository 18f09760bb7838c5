import type { AdvisorResult } from '../../src/model/advisor.js';

/** What the what-if advice cost, for a benchmark line: plans asked of the server and the advisor's time per plan. */
export function planCost(cost: AdvisorResult['cost']): string {
  if (!cost || cost.plans === 0) return '';
  return `; what-if: ${cost.plans} plans in ${cost.ms} ms, ${(cost.ms / cost.plans).toFixed(2)} ms per plan (target ≤ 5)`;
}
