/**
 * Index advisor on workloads it was not built on (issue 14). Needs the system PostgreSQL 15 with HypoPG
 * (apt-get install -y postgresql-15-hypopg). Run: npm run bench:advisor-suite [-- requests] [workload name filter]
 *
 * For each workload in bench/advisor/workloads.ts and each strategy, a fresh database gets the schema and its bulk
 * load inside the stats window, then the strategy's indexes; after ANALYZE and a pg_stat_statements reset the same
 * seeded request mix runs and the total database time is read back:
 *   none          no index added (primary keys only)
 *   per-column    one single-column index per column the workload filters, joins or sorts on
 *   pgrescue      the load and one run of the mix in the window, a scan, its missing-index migrations applied
 *   hand-tuned    the set written by hand for the mix
 * Also reported for pgrescue: the share of considered DB time it could not plan, and whether each of the top 20
 * statements got an outcome with a reason.
 */
import pg from 'pg';
import { ANALYZERS } from '../analyzers/index.js';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
import { resolveConnection } from '../src/db/connection-options.js';
import { Session } from '../src/db/session.js';
import { analyze } from '../src/engine/run.js';
import { advise } from '../src/pipeline/advise.js';
import { deriveScan } from '../src/derive/scan-state.js';
import { qualified, quoteIdent } from '../src/sql/quote.js';
import { hasIndexLeadingWith } from '../src/derive/index-match.js';
import { splitStatements } from '../test/harness/apply-sql.js';
import { benchServer } from './lib/bench-server.js';
import type { Snapshot } from '../src/model/snapshot.js';
import { WORKLOADS } from './advisor/workloads.js';
import { planCost } from './lib/plan-cost.js';
import type { Rng, Workload } from './advisor/workloads.js';

const requests = Number(process.argv[2] ?? 400);
const only = process.argv[3];

function seeded(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function withClient<T>(url: string, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

async function runMix(url: string, w: Workload): Promise<void> {
  const rng = seeded(42);
  await withClient(url, async (c) => {
    for (let i = 0; i < requests; i++) for (const q of w.request(rng)) await c.query(q.sql, q.params as unknown[]);
  });
}

const DB_TIME = `SELECT coalesce(sum(total_exec_time), 0)::float8 AS ms FROM pg_stat_statements
  WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query !~* 'pg_stat_statements|pgrescue' AND query ~* '^\\s*(select|update|insert|delete|with)'`;

async function measure(url: string, w: Workload): Promise<number> {
  await withClient(url, (c) => c.query('ANALYZE; SELECT pg_stat_statements_reset()'));
  await runMix(url, w);
  return withClient(url, async (c) => Number((await c.query(DB_TIME)).rows[0].ms));
}

async function scanOf(url: string): Promise<Snapshot> {
  const session = await Session.open(resolveConnection(url));
  try {
    return (await advise(session, deriveScan(await collectSnapshot(session, { schemas: ['public'], maxStatements: 5000 })))).snapshot;
  } finally {
    await session.close();
  }
}

/** One single-column index per column the workload compares or sorts on, where no index leads with it. */
function perColumn(snapshot: Snapshot): string[] {
  const { catalog, workload } = deriveScan(snapshot);
  const out = new Set<string>();
  for (const s of workload.statements) {
    if (!s.parsed.ok) continue;
    const cols = [...s.parsed.shape.predicates.filter((p) => !p.inOr && !p.expression).map((p) => ({ tableId: p.tableId, column: p.column })), ...s.parsed.shape.orderBy];
    for (const p of cols) {
      const table = p.tableId !== null ? s.tables[p.tableId] : undefined;
      if (!table || !catalog.column(table, p.column) || hasIndexLeadingWith(catalog.indexesOf(table.schema, table.name), [p.column])) continue;
      out.add(`CREATE INDEX ON ${qualified(table.schema, table.name)} (${quoteIdent(p.column)})`);
    }
  }
  return [...out];
}

interface Row {
  readonly strategy: string;
  readonly ms: number;
  readonly indexes: number;
}

async function main(): Promise<void> {
  const server = await benchServer('advisor-suite', { 'pg_stat_statements.max': '5000', shared_buffers: '256MB' });
  let n = 0;
  try {
    for (const w of WORKLOADS.filter((x) => !only || x.name.includes(only))) {
      const fresh = async (): Promise<string> => {
        const url = await server.createDatabase(`bench_${++n}`);
        await withClient(url, async (c) => {
          await c.query('CREATE EXTENSION pg_stat_statements; CREATE EXTENSION hypopg');
          await c.query(w.schema);
          await c.query('SELECT pg_stat_statements_reset()');
          await c.query(w.load); // the bulk load sits inside the stats window pgrescue reads
          await c.query('ANALYZE');
        });
        return url;
      };
      const apply = (url: string, statements: readonly string[]): Promise<void> => withClient(url, async (c) => {
        for (const s of statements) await c.query(s);
      });
      const rows: Row[] = [];
      const none = await fresh();
      rows.push({ strategy: 'none (primary keys only)', ms: await measure(none, w), indexes: 0 });
      const columns = perColumn(await scanOf(none));
      const perCol = await fresh();
      await apply(perCol, columns);
      rows.push({ strategy: 'one index per filtered column', ms: await measure(perCol, w), indexes: columns.length });

      const ours = await fresh();
      await runMix(ours, w);
      const started = Date.now();
      const snapshot = await scanOf(ours);
      const scanMs = Date.now() - started;
      const report = analyze(snapshot, ANALYZERS, { rules: ['missing-index'] });
      const creates = report.findings.flatMap((f) => (f.migrations ?? []).flatMap((m) => splitStatements(m.up).filter((s) => /^CREATE INDEX/i.test(s))));
      await apply(ours, creates);
      rows.push({ strategy: 'pgrescue', ms: await measure(ours, w), indexes: creates.length });

      const tuned = await fresh();
      await apply(tuned, w.handTuned);
      rows.push({ strategy: 'hand-tuned', ms: await measure(tuned, w), indexes: w.handTuned.length });

      const advisor = snapshot.advisor!;
      const byTime = [...snapshot.statements].filter((s) => !/pg_stat_statements|pgrescue/.test(s.query)).sort((a, b) => b.totalMs - a.totalMs).slice(0, 20);
      const outcomes = new Map(advisor.statements.map((a) => [a.queryid, a]));
      const withOutcome = byTime.filter((s) => (outcomes.get(s.queryid)?.reason ?? '').length > 0).length;
      const handMs = rows[3]!.ms;
      console.log(`\n## ${w.name}: ${requests} requests, PostgreSQL ${snapshot.database.serverVersion} + HypoPG`);
      console.log('\n| strategy | total DB time | vs none | indexes |\n|---|---:|---:|---:|');
      for (const r of rows) console.log(`| ${r.strategy} | ${r.ms.toFixed(0)} ms | ${(rows[0]!.ms / r.ms).toFixed(1)}× | ${r.indexes} |`);
      console.log(`\npgrescue / hand-tuned: ${(rows[2]!.ms / handMs).toFixed(2)}× (target ≤ 1.2×), ${rows[2]!.indexes} vs ${rows[3]!.indexes} indexes (target: no more)`);
      console.log(`unplannable: ${((advisor.window?.unplannableShare ?? 0) * 100).toFixed(1)}% of considered DB time (target ≤ 2%); top-20 statements with an outcome and reason: ${withOutcome}/${byTime.length}; scan with advisor ${scanMs} ms${planCost(advisor.cost)}`);
      for (const c of creates) console.log(`  pgrescue: ${c}`);
      if (process.env.BENCH_VERBOSE) {
        for (const s of byTime) {
          const a = outcomes.get(s.queryid);
          console.log(`  ${s.totalMs.toFixed(0).padStart(7)} ms  ${a?.outcome ?? '(none)'}: ${a?.reason ?? ''}\n      ${s.query.slice(0, 140)}`);
        }
        for (const a of advisor.statements.filter((x) => x.outcome === 'unplannable')) console.log(`  unplannable: ${snapshot.statements.find((x) => x.queryid === a.queryid)?.query.slice(0, 200)} — ${a.reason}`);
        for (const wn of snapshot.warnings) console.log(`  warning: ${wn.message}`);
        console.log(`  window: ${JSON.stringify(advisor.window)}`);
      }
    }
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
