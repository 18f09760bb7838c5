import type { SafeClient } from '../db/session.js';
import type { PlanNode } from './plan-notes.js';

const STATEMENT = 'pgrescue_whatif';

/** Highest $n in a normalized statement: how many parameters EXECUTE must pass. */
export function parameterCount(query: string): number {
  let max = 0;
  for (const m of query.replace(/'(?:[^']|'')*'/g, "''").matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/**
 * The generic plan of a normalized statement ($1, $2… unbound): PREPARE + EXPLAIN EXECUTE with NULLs under
 * plan_cache_mode = force_generic_plan, on every version. (EXPLAIN (GENERIC_PLAN) would need the simple query
 * protocol, where $n may stay unbound; pgrescue sends everything over the extended protocol, which carries one
 * statement per message.) Prepared fresh each time, so hypothetical indexes created since are seen. Never
 * executes the statement.
 */
export async function explainGeneric(client: SafeClient, query: string): Promise<PlanNode> {
  await client.query('SET plan_cache_mode = force_generic_plan');
  await client.query(`PREPARE ${STATEMENT} AS ${query}`);
  try {
    const n = parameterCount(query);
    const args = n > 0 ? `(${Array.from({ length: n }, () => 'NULL').join(', ')})` : '';
    const r = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE ${STATEMENT}${args}`);
    return firstPlan(r);
  } finally {
    await client.query(`DEALLOCATE ${STATEMENT}`).catch(() => undefined);
  }
}

function firstPlan(rows: Record<string, unknown>[]): PlanNode {
  const value = rows[0]?.['QUERY PLAN'];
  const parsed = (typeof value === 'string' ? JSON.parse(value) : value) as { Plan: PlanNode }[];
  const plan = parsed[0]?.Plan;
  if (!plan) throw new Error('EXPLAIN returned no plan');
  return plan;
}

export function totalCost(plan: PlanNode): number {
  return plan['Total Cost'] ?? 0;
}
