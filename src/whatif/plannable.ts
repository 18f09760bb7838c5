import type { Catalog } from '../derive/catalog.js';
import type { WorkloadStatement } from '../derive/workload.js';
import type { SafeClient } from '../db/session.js';
import { paramUses } from '../advisor/param-types.js';
import { repairNormalized } from '../sql/repair-normalized.js';
import { explainGeneric, parameterCount } from './explain.js';
import type { PlanInput } from './explain.js';
import type { PlanNode } from './plan-notes.js';

export interface Plannable {
  readonly input: PlanInput;
  readonly plan: PlanNode;
  /** What had to be repaired or typed for it to plan, in words (empty: planned as captured). */
  readonly repairs: readonly string[];
}

const UNDETERMINED = /could not determine data type of parameter \$(\d+)/;
const MAX_ATTEMPTS = 12;

/**
 * Find a form of a normalized statement the planner accepts: the text with pg_stat_statements' artifacts repaired
 * (sql/repair-normalized), parameters typed from the columns they are compared with, and a parameter whose type
 * nothing determines (an argument of json_build_object, `$1 != $2`) typed as text. Tried in that order, each step
 * only when the server rejected the previous form. Throws the server's last error when no form plans.
 */
export async function planPlannable(client: SafeClient, statement: WorkloadStatement, catalog: Catalog): Promise<Plannable> {
  const original = statement.stat.query;
  const repaired = repairNormalized(original);
  const count = Math.max(parameterCount(original), parameterCount(repaired.text));
  const uses = paramUses(statement, catalog);
  const fromCatalog = Array.from({ length: count }, (_v, k) => uses.get(k + 1)?.type ?? 'unknown');
  const texts = repaired.text === original ? [original] : [repaired.text, original];
  let lastError: Error = new Error('no plan');
  for (const text of texts) {
    for (const typed of [true, false]) {
      const types = typed ? [...fromCatalog] : fromCatalog.map(() => 'unknown');
      if (!typed && fromCatalog.every((t) => t === 'unknown')) continue;
      const notes = [...(text === original ? [] : repaired.repairs)];
      if (typed && fromCatalog.some((t) => t !== 'unknown')) notes.push('parameter types from the catalog');
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const input: PlanInput = { text, types };
        try {
          const plan = await explainGeneric(client, input);
          return { input, plan, repairs: notes };
        } catch (error) {
          lastError = error as Error;
          const undetermined = UNDETERMINED.exec(lastError.message);
          const k = undetermined ? Number(undetermined[1]) - 1 : -1;
          if (k < 0 || k >= types.length || types[k] === 'text') break;
          types[k] = 'text';
          if (!notes.includes('untyped parameters as text')) notes.push('untyped parameters as text');
        }
      }
    }
  }
  throw lastError;
}
