import type { SafeClient } from '../db/session.js';
import type { Table } from '../model/snapshot.js';
import type { CollectContext } from './context.js';
import { failureOf } from './bounded.js';
import type { BoundedFailure } from './bounded.js';

/**
 * One question about a table's rows (a NULL count, orphans, duplicate groups, the values of a column, a secret
 * sample): a scalar SQL expression that yields JSON, and the answer it stands for when the table has no row.
 */
export interface Probe {
  readonly sql: string;
  readonly empty: unknown;
}

/** A probe of one table, and where its answer (or its failure) goes. */
export interface ProbeRequest {
  readonly table: Table;
  readonly probe: Probe;
  readonly done: (answer: unknown) => void;
  readonly failed: (failure: BoundedFailure) => void;
}

/** The probes one collector needs answered, and how it turns their answers into its result (and warnings). */
export interface TablePlan<T> {
  readonly requests: readonly ProbeRequest[];
  readonly finish: (ctx: CollectContext) => T;
}

/** Group the probes by table, read each table once, and hand every probe its answer or its failure. */
export async function answerProbes(ctx: CollectContext, requests: readonly ProbeRequest[]): Promise<void> {
  const byTable = new Map<Table, ProbeRequest[]>();
  for (const r of requests) {
    const list = byTable.get(r.table);
    if (list) list.push(r);
    else byTable.set(r.table, [r]);
  }
  const results = await readTables(ctx, new Map([...byTable].map(([t, list]) => [t, list.map((r) => r.probe)])));
  for (const [table, list] of byTable) {
    const result = results.get(table);
    if (!result) continue;
    list.forEach((r, i) => {
      if ('failure' in result) return r.failed(result.failure);
      const answer = result.answers[i];
      if (answer instanceof ProbeFailure) r.failed(answer.failure);
      else r.done(answer);
    });
  }
}

type ProbeAnswers = { readonly answers: readonly unknown[] } | { readonly failure: BoundedFailure };

/** The one statement text every table read is sent as: its query travels as a parameter. */
const WRAPPER = 'SELECT query_to_xml($1, false, true, \'\') AS x';

/**
 * Answer each table's probes with one statement per table, on one connection, in autocommit read-only mode:
 *
 * - a table whose heap is measured empty is answered without a query (the probes' `empty` answers, exact);
 * - the table's statement runs inside `query_to_xml`, so pg_stat_statements (tracking top-level statements, its
 *   default) records one constant text however many tables are read: a scan cannot evict the app's statements;
 *   query_to_xml runs its query through SPI in read-only mode, inside a read-only session;
 * - the statement_timeout is the per-check limit times the probes in it (the same bound as one query each);
 * - a failure is classified, never thrown; when a batch fails for a reason other than a timeout or a lock, its
 *   probes are asked one by one, so one unreadable referenced table spoils only its own check.
 */
async function readTables(ctx: CollectContext, requests: ReadonlyMap<Table, readonly Probe[]>): Promise<Map<Table, ProbeAnswers>> {
  const results = new Map<Table, ProbeAnswers>();
  const pending: [Table, readonly Probe[]][] = [];
  for (const [table, probes] of requests) {
    if (probes.length === 0) continue;
    if (table.kind === 'table' && table.heapBytes === 0) results.set(table, { answers: probes.map((p) => p.empty) });
    else if (ctx.locked.has(table.oid)) results.set(table, { failure: { cause: 'lock', message: 'the table is locked by another session' } });
    else pending.push([table, probes]);
  }
  if (pending.length === 0) return results;
  // Two connections share the queue: the reads are short and bounded, and two backends halve the wall time.
  const queue = pending.values();
  const worker = (): Promise<void> =>
    ctx.session.withClient(async (client) => {
      const timeouts = new StatementTimeout(client);
      // With tracking off for pgrescue's session (src/db/session.ts), nothing it sends reaches pg_stat_statements:
      // the query goes as itself, without query_to_xml's XML round trip.
      const direct = ctx.session.quiet;
      try {
        for (const [table, probes] of queue) results.set(table, await askTable(client, timeouts, ctx.dataCheckTimeoutMs, probes, direct));
      } finally {
        await timeouts.restore();
      }
    });
  await Promise.all(Array.from({ length: Math.min(READERS, pending.length) }, worker));
  return results;
}

/** Concurrent connections reading tables. */
const READERS = 3;

/** One table's probes in one statement; after a failure other than a timeout or a lock, one probe at a time. */
async function askTable(client: SafeClient, timeouts: StatementTimeout, perProbeMs: number, probes: readonly Probe[], direct: boolean): Promise<ProbeAnswers> {
  const answer = await ask(client, timeouts, perProbeMs, probes, direct);
  if (!('failure' in answer) || probes.length === 1 || answer.failure.cause === 'timeout' || answer.failure.cause === 'lock') return answer;
  const one: unknown[] = [];
  for (const probe of probes) {
    const r = await ask(client, timeouts, perProbeMs, [probe], direct);
    one.push('failure' in r ? new ProbeFailure(r.failure) : r.answers[0]);
  }
  return one.every((a) => a instanceof ProbeFailure) ? answer : { answers: one };
}

/** One probe's own failure inside a batch that otherwise answered. */
export class ProbeFailure {
  constructor(readonly failure: BoundedFailure) {}
}

async function ask(client: SafeClient, timeouts: StatementTimeout, perProbeMs: number, probes: readonly Probe[], direct: boolean): Promise<ProbeAnswers> {
  const sql = `SELECT ${probes.map((p, i) => `(${p.sql})::text AS c${i}`).join(', ')}`;
  try {
    await timeouts.set(perProbeMs * probes.length);
    if (direct) {
      const [cells] = await client.query<Record<string, string | null>>(sql);
      return { answers: probes.map((_, i) => (cells?.[`c${i}`] != null ? JSON.parse(cells[`c${i}`]!) : null)) };
    }
    const [row] = await client.query<{ x: string }>(WRAPPER, [sql]);
    const cells = xmlCells(row?.x ?? '');
    return { answers: probes.map((_, i) => (cells.has(`c${i}`) ? JSON.parse(cells.get(`c${i}`)!) : null)) };
  } catch (error) {
    return { failure: failureOf(error) };
  }
}

/** statement_timeout of the read connection, changed only when the wanted value changes, restored at the end. */
class StatementTimeout {
  private current: string | null = null;
  private original: string | null = null;

  constructor(private readonly client: SafeClient) {}

  async set(ms: number): Promise<void> {
    const wanted = String(Math.max(1, Math.trunc(ms)));
    if (wanted === this.current) return;
    const [row] = await this.client.query<{ previous: string; now: string }>(
      `SELECT current_setting('statement_timeout') AS previous, set_config('statement_timeout', $1, false) AS now`,
      [wanted],
    );
    this.original ??= row?.previous ?? null;
    this.current = wanted;
  }

  async restore(): Promise<void> {
    if (this.original !== null) await this.client.query(`SELECT set_config('statement_timeout', $1, false)`, [this.original]).catch(() => undefined);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The cells of query_to_xml's one row (`<c0>…</c0>`; a NULL cell is absent). Every cell pgrescue asks for is
 * JSON text, which XML escapes as entities and character references.
 */
export function xmlCells(xml: string): Map<string, string> {
  const cells = new Map<string, string>();
  for (const m of xml.matchAll(/<(c\d+)>([^<]*)<\/\1>/g)) {
    cells.set(
      m[1]!,
      m[2]!.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
        if (entity.startsWith('#x')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
        if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
        return ENTITIES[entity] ?? whole;
      }),
    );
  }
  return cells;
}
