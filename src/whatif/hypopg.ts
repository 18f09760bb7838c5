import type { SafeClient } from '../db/session.js';
import type { CandidateIndex } from '../model/advisor.js';
import { qualified } from '../sql/quote.js';
import { candidateKeySql } from '../sql/candidate-keys.js';

/** The CREATE INDEX statement of a candidate (name left to Postgres / HypoPG). */
export function candidateDefinition(c: CandidateIndex): string {
  const keys = candidateKeySql(c).join(', ');
  return `CREATE INDEX ON ${qualified(c.schema, c.table)} (${keys})${c.where ? ` WHERE ${c.where}` : ''}`;
}

/** Create a hypothetical index in this backend: the planner sees it, nothing is written. Returns its OID. */
export async function createHypothetical(client: SafeClient, c: CandidateIndex): Promise<number> {
  const r = await client.query<{ indexrelid: number }>('SELECT indexrelid FROM hypopg_create_index($1)', [candidateDefinition(c)]);
  const oid = r[0]?.indexrelid;
  if (oid === undefined) throw new Error(`HypoPG did not create ${candidateDefinition(c)}`);
  return oid;
}

export async function hypotheticalSize(client: SafeClient, oid: number): Promise<number> {
  const r = await client.query<{ size: string }>('SELECT hypopg_relation_size($1) AS size', [oid]);
  return Number(r[0]?.size ?? 0);
}

export async function resetHypothetical(client: SafeClient): Promise<void> {
  await client.query('SELECT hypopg_reset()');
}

export async function dropHypothetical(client: SafeClient, oid: number): Promise<void> {
  await client.query('SELECT hypopg_drop_index($1)', [oid]);
}
