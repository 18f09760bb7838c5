import type pg from 'pg';
import type { CandidateIndex } from '../advisor/types.js';
import { marked } from '../db/marker.js';
import { qualified, quoteIdent } from '../migrate/quote.js';

/** The CREATE INDEX statement of a candidate (name left to Postgres / HypoPG). */
export function candidateDefinition(c: CandidateIndex): string {
  const keys = c.keys.map((k) => `${k.expression ? `(${k.column})` : quoteIdent(k.column)}${k.desc ? ' DESC' : ''}`).join(', ');
  return `CREATE INDEX ON ${qualified(c.schema, c.table)} (${keys})${c.where ? ` WHERE ${c.where}` : ''}`;
}

/** Create a hypothetical index in this backend: the planner sees it, nothing is written. Returns its OID. */
export async function createHypothetical(client: pg.PoolClient | pg.Client, c: CandidateIndex): Promise<number> {
  const r = await client.query<{ indexrelid: number }>(marked('SELECT indexrelid FROM hypopg_create_index($1)'), [candidateDefinition(c)]);
  const oid = r.rows[0]?.indexrelid;
  if (oid === undefined) throw new Error(`HypoPG did not create ${candidateDefinition(c)}`);
  return oid;
}

export async function hypotheticalSize(client: pg.PoolClient | pg.Client, oid: number): Promise<number> {
  const r = await client.query<{ size: string }>(marked('SELECT hypopg_relation_size($1) AS size'), [oid]);
  return Number(r.rows[0]?.size ?? 0);
}

export async function resetHypothetical(client: pg.PoolClient | pg.Client): Promise<void> {
  await client.query(marked('SELECT hypopg_reset()'));
}
