import type { SafeClient } from '../db/session.js';
import { withParamCasts } from '../sql/param-context.js';
import type { PlanNode } from './plan-notes.js';

const STATEMENT = 'pgrescue_whatif';

/** A statement as the planner is given it: the (repaired) text and a type per parameter ('unknown': inferred). */
export interface PlanInput {
  readonly text: string;
  readonly types: readonly string[];
}

/** Highest $n in a normalized statement: how many parameters EXECUTE must pass. */
export function parameterCount(query: string): number {
  let max = 0;
  for (const m of query.replace(/'(?:[^']|'')*'/g, "''").matchAll(/\$(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}

/** A plain text with every parameter's type left to the server. */
export function plainInput(text: string): PlanInput {
  return { text, types: Array.from({ length: parameterCount(text) }, () => 'unknown') };
}

async function prepare(client: SafeClient, input: PlanInput): Promise<void> {
  const types = input.types.length > 0 && input.types.some((t) => t !== 'unknown') ? `(${input.types.join(', ')})` : '';
  await client.query(`PREPARE ${STATEMENT}${types} AS ${input.text}`);
}

/**
 * The generic plan of a normalized statement ($1, $2… unbound): PREPARE + EXPLAIN EXECUTE with NULLs under
 * plan_cache_mode = force_generic_plan, on every version. (EXPLAIN (GENERIC_PLAN) would need the simple query
 * protocol, where $n may stay unbound; pgrescue sends everything over the extended protocol, which carries one
 * statement per message.) Prepared fresh each time, so hypothetical indexes created since are seen. Never
 * executes the statement.
 */
export async function explainGeneric(client: SafeClient, input: PlanInput | string): Promise<PlanNode> {
  const i = typeof input === 'string' ? plainInput(input) : input;
  await client.query('SET plan_cache_mode = force_generic_plan');
  await prepare(client, i);
  try {
    const args = i.types.length > 0 ? `(${i.types.map(() => 'NULL').join(', ')})` : '';
    return firstPlan(await client.query(`EXPLAIN (FORMAT JSON) EXECUTE ${STATEMENT}${args}`));
  } finally {
    await client.query(`DEALLOCATE ${STATEMENT}`).catch(() => undefined);
  }
}

/** A statement with values to plan it for: its text with each parameter cast to its type, and the values to bind. */
export interface CustomCall {
  readonly text: string;
  readonly values: readonly (string | null)[];
}

/** The call for a planner input and values; the casts are written once, not at every costing. */
export function customCall(input: PlanInput, values: readonly (string | null)[]): CustomCall {
  return { text: withParamCasts(input.text, input.types), values };
}

/**
 * The plan for given parameter values, as the server plans a real call: EXPLAIN of the statement sent with the values
 * bound (the extended protocol hands them to the planner as constants), never written into the SQL. The values come
 * from pg_stats and are never printed: a failure is reported without the server's message, which could quote them.
 */
export async function explainCustom(client: SafeClient, call: CustomCall): Promise<PlanNode> {
  try {
    return firstPlan(await client.query(`EXPLAIN (FORMAT JSON) ${call.text}`, call.values));
  } catch {
    throw new Error('the plan for representative values failed');
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
