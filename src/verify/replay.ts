import type { ScratchConnection } from '../db/scratch.js';
import type { WorkloadStatement } from '../derive/workload.js';
import { qualified, quoteIdent } from '../sql/quote.js';
import { explainGeneric, parameterCount, totalCost } from '../whatif/explain.js';
import type { SafeClient } from '../db/session.js';
import { QUERY_MARKER } from '../db/marker.js';
import type { LoggedExecution } from './logged.js';
import type { Issuer } from '../scope/read-scopes.js';
import { replayableSelect } from '../sql/replayable.js';

/** A captured statement to replay, with where each of its parameters comes from. */
export interface ReplayTarget {
  readonly queryid: string;
  readonly query: string;
  readonly calls: number;
  readonly totalMs: number;
  /** A plain SELECT (no row locks): executed read-only and its rows counted; other statements are only planned. */
  readonly executes: boolean;
  /** Per parameter number: the column whose values it is compared with (sampled from the data). */
  readonly columns: ReadonlyMap<number, { readonly schema: string; readonly table: string; readonly column: string }>;
  /** Parameter values that do not come from a column (LIMIT, OFFSET): fixed. */
  readonly fixed: ReadonlyMap<number, string>;
  /** Exact executions from a log (replacing sampled values): text, values and the session's settings. */
  readonly logged?: readonly LoggedExecution[];
  /** Who issues it: replayed signed in as that member (ReplayOptions.memberSetting). */
  readonly issuer?: Issuer;
}

/** One execution to replay: the text (the captured one, or a logged one), its values and settings. */
interface Execution {
  readonly text: string;
  readonly values: readonly (string | null)[];
  readonly settings: readonly (readonly [string, string])[];
}

/** What one replay of a statement saw. */
export interface Observation {
  /** The plan or the execution failed: permission denied, an RLS error, a missing object… */
  readonly error: string | null;
  readonly cost: number | null;
  /** Rows per parameter set (null where it was only planned). */
  readonly rows: readonly number[] | null;
}


/**
 * The statements worth replaying: the captured workload's SELECTs, INSERTs, UPDATEs and DELETEs by DB time,
 * pgrescue's own queries left out. Parameters compared with a column get values sampled from that column.
 */
export function replayTargets(statements: readonly WorkloadStatement[], limit: number, issuerOf: (s: WorkloadStatement) => Issuer | undefined = () => undefined): ReplayTarget[] {
  const targets: ReplayTarget[] = [];
  const ranked = [...statements].sort((a, b) => b.stat.totalMs - a.stat.totalMs);
  for (const s of ranked) {
    if (targets.length >= limit) break;
    if (!s.parsed.ok || s.stat.withheld || s.stat.query.includes(QUERY_MARKER)) continue;
    const shape = s.parsed.shape;
    if (!['select', 'insert', 'update', 'delete'].includes(shape.kind)) continue;
    if (shape.tables.length === 0 || s.tables.every((t) => !t)) continue;
    const columns = new Map<number, { schema: string; table: string; column: string }>();
    for (const p of shape.predicates) {
      const table = p.tableId === null ? undefined : s.tables[p.tableId];
      if (p.param === undefined || !table || columns.has(p.param)) continue;
      if (!table.columns.some((c) => c.name === p.column)) continue;
      columns.set(p.param, { schema: table.schema, table: table.name, column: p.column });
    }
    const fixed = new Map<number, string>();
    for (const m of s.stat.query.matchAll(/\b(LIMIT|OFFSET)\s+\$(\d+)\b/gi)) fixed.set(Number(m[2]), m[1]!.toUpperCase() === 'LIMIT' ? '100' : '0');
    const n = parameterCount(s.stat.query);
    const complete = Array.from({ length: n }, (_, i) => i + 1).every((i) => columns.has(i) || fixed.has(i));
    const issuer = issuerOf(s);
    targets.push({
      ...(issuer !== undefined ? { issuer } : {}),
      queryid: s.stat.queryid,
      query: s.stat.query,
      calls: s.stat.calls,
      totalMs: s.stat.totalMs,
      executes: shape.kind === 'select' && complete && replayableSelect(s.stat.query),
      columns,
      fixed,
    });
  }
  return targets;
}

/** One statement over the extended protocol: a text can never hold a second statement. */
function extended<Row extends object>(client: ScratchConnection, text: string, values: readonly unknown[] = []): Promise<Row[]> {
  return client.query<Row>(text, values);
}

function asSafe(client: ScratchConnection): SafeClient {
  return { query: (text, params) => client.query(text, params ?? []) };
}

export interface ReplayOptions {
  /** The app's role: every statement is planned and run as it (SET ROLE). */
  readonly role: string;
  /** Settings set for each statement (set_config(name, value, true)), e.g. app.user_id. */
  readonly settings: readonly (readonly [string, string])[];
  readonly timeoutMs: number;
  /** Parameter sets per statement. */
  readonly samples: number;
  /**
   * How the app says who the member is: each statement is replayed signed in as the member its own parameter
   * names (`member_id = $1`), so a policy is judged for the member who issues the statement.
   */
  readonly memberSetting?: (id: string) => readonly (readonly [string, string])[];
}

/**
 * Replays captured statements on the scratch database as the app's role, each in its own READ ONLY transaction
 * that is rolled back: plans every one (its generic plan's cost), and executes the SELECTs whose parameters have
 * values, counting rows. The values are sampled once, before any migration, so before and after compare the same
 * parameters. They are bound as parameters and never printed.
 */
export class Replayer {
  private readonly runs = new Map<string, Execution[]>();

  constructor(private readonly client: ScratchConnection, private readonly options: ReplayOptions) {}

  /** Sample parameter values per statement: rows of the tables its parameters are compared with. */
  async sample(targets: readonly ReplayTarget[]): Promise<void> {
    const byTable = new Map<string, { schema: string; table: string; columns: Set<string> }>();
    const sampled = (t: ReplayTarget): { schema: string; table: string; column: string }[] => [
      ...t.columns.values(),
      ...(t.issuer && 'table' in t.issuer ? [{ schema: t.issuer.table.schema, table: t.issuer.table.name, column: t.issuer.column }] : []),
    ];
    for (const t of targets) {
      if (!t.executes || t.logged) continue;
      for (const c of sampled(t)) {
        const key = `${c.schema}\u0000${c.table}`;
        const entry = byTable.get(key) ?? { schema: c.schema, table: c.table, columns: new Set<string>() };
        entry.columns.add(c.column);
        byTable.set(key, entry);
      }
    }
    const rowsOf = new Map<string, Record<string, string | null>[]>();
    for (const [key, { schema, table, columns }] of byTable) {
      const list = [...columns];
      try {
        await extended(this.client, 'BEGIN READ ONLY');
        await extended(this.client, `SET LOCAL statement_timeout = ${Math.trunc(this.options.timeoutMs)}`);
        // Every column set at once: values that belong together (member_id with its own status) find rows.
        // Distinct sets among the first rows read: bounded, and not three copies of the first row's values.
        const picked = list.map((c, i) => `${quoteIdent(c)}::text AS c${i}`).join(', ');
        const rows = await extended<Record<string, string | null>>(
          this.client,
          `SELECT DISTINCT ${list.map((_, i) => `c${i}`).join(', ')} FROM (SELECT ${picked} FROM ${qualified(schema, table)} WHERE ${list.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ')} LIMIT 1000) AS first_rows LIMIT ${Math.trunc(this.options.samples)}`,
        );
        rowsOf.set(key, rows.map((r) => Object.fromEntries(list.map((c, i) => [c, r[`c${i}`] ?? null]))));
      } catch {
        rowsOf.set(key, []);
      } finally {
        await extended(this.client, 'ROLLBACK').catch(() => undefined);
      }
    }
    for (const t of targets) {
      if (!t.executes) continue;
      if (t.logged) {
        this.runs.set(t.queryid, t.logged.map((e) => ({ text: e.text, values: e.values, settings: e.settings })));
        continue;
      }
      const n = parameterCount(t.query);
      const sets: { values: (string | null)[]; k: number }[] = [];
      for (let k = 0; k < this.options.samples; k++) {
        const set: (string | null)[] = [];
        let complete = true;
        for (let i = 1; i <= n; i++) {
          const fixed = t.fixed.get(i);
          const c = t.columns.get(i);
          const row = c ? rowsOf.get(`${c.schema}\u0000${c.table}`)?.[k] : undefined;
          if (fixed !== undefined) set.push(fixed);
          else if (c && row) set.push(row[c.column] ?? null);
          else complete = false;
        }
        if (complete) sets.push({ values: set, k });
      }
      const issuer = t.issuer;
      const signIn = (values: readonly (string | null)[], k: number): readonly (readonly [string, string])[] => {
        const id = !issuer ? null : 'param' in issuer ? values[issuer.param - 1] : rowsOf.get(`${issuer.table.schema}\u0000${issuer.table.name}`)?.[k]?.[issuer.column];
        return id != null && this.options.memberSetting ? this.options.memberSetting(id) : [];
      };
      this.runs.set(t.queryid, sets.map((s) => ({ text: t.query, values: s.values, settings: signIn(s.values, s.k) })));
    }
  }

  /** Open a read-only transaction as the app's role with the app's settings. */
  private async begin(settings: readonly (readonly [string, string])[]): Promise<void> {
    await extended(this.client, 'BEGIN READ ONLY');
    await extended(this.client, `SET LOCAL ROLE ${quoteIdent(this.options.role)}`);
    await extended(this.client, `SET LOCAL statement_timeout = ${Math.trunc(this.options.timeoutMs)}`);
    for (const [name, value] of settings) await extended(this.client, 'SELECT set_config($1, $2, true)', [name, value]);
  }

  async observe(target: ReplayTarget): Promise<Observation> {
    let cost: number | null = null;
    try {
      await this.begin(this.options.settings);
      cost = totalCost(await explainGeneric(asSafe(this.client), target.query));
    } catch (error) {
      return { error: (error as Error).message, cost: null, rows: null };
    } finally {
      await extended(this.client, 'ROLLBACK').catch(() => undefined);
      // A PREPARE outlives the transaction it failed in: clear it so the next statement can prepare its own.
      await extended(this.client, 'DEALLOCATE ALL').catch(() => undefined);
    }
    const runs = this.runs.get(target.queryid);
    if (!target.executes || !runs || runs.length === 0) return { error: null, cost, rows: null };
    const rows: number[] = [];
    for (const run of runs) {
      try {
        await this.begin([...this.options.settings, ...run.settings]);
        const [row] = await extended<{ n: string }>(this.client, `SELECT count(*) AS n FROM (${run.text}) AS pgrescue_replay`, run.values);
        rows.push(Number(row?.n ?? 0));
      } catch (error) {
        return { error: (error as Error).message, cost, rows: null };
      } finally {
        await extended(this.client, 'ROLLBACK').catch(() => undefined);
      }
    }
    return { error: null, cost, rows };
  }
}
