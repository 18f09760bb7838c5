/**
 * Index advisor benchmark on the demo community (issue: index advisor). Needs the system PostgreSQL 15 with
 * HypoPG (apt-get install -y postgresql-15-hypopg). Run: npx tsx bench/index-advisor.ts [requests]
 *
 * For each strategy, a fresh demo database gets its indexes, then the same member workload runs and the total
 * database time is read from pg_stat_statements:
 *   before        no index added
 *   pgrescue      the workload runs once, pgrescue scans it, its missing-index migrations are applied
 *   every-fk      one index per unindexed foreign key
 *   single-column one single-column index per filtered column seen in the workload
 */
import pg from 'pg';
import { ANALYZERS } from '../analyzers/index.js';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
import { resolveConnection } from '../src/db/connection-options.js';
import { Session } from '../src/db/session.js';
import { loadDemoDatabase } from '../src/demo/demo-database.js';
import { runDemoWorkload } from '../src/demo/demo-workload.js';
import { hasIndexLeadingWith } from '../src/derive/index-match.js';
import { analyze } from '../src/engine/run.js';
import { qualified, quoteIdent } from '../src/sql/quote.js';
import { splitStatements } from '../test/harness/apply-sql.js';
import { execSql } from '../test/harness/server.js';
import { benchServer } from './lib/bench-server.js';
import { planCost } from './lib/plan-cost.js';
import { advise } from '../src/pipeline/advise.js';
import { deriveScan } from '../src/derive/scan-state.js';

const requests = Number(process.argv[2] ?? 300);

async function applyStatements(url: string, statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

async function snapshot(url: string) {
  const session = await Session.open(resolveConnection(url));
  try {
    return (await advise(session, deriveScan(await collectSnapshot(session, { schemas: ['public'], maxStatements: 1000 })))).snapshot;
  } finally {
    await session.close();
  }
}

async function measure(url: string): Promise<{ totalMs: number; wallMs: number }> {
  await execSql(url, 'ANALYZE; SELECT pg_stat_statements_reset();');
  const start = Date.now();
  await runDemoWorkload(url, { requests });
  const wallMs = Date.now() - start;
  const r = await execSql(url, `SELECT coalesce(sum(total_exec_time), 0)::float8 AS ms FROM pg_stat_statements
    WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT LIKE '%/* pgrescue */%'
      AND query ~* '^(select|update|insert|delete|with)'`);
  return { totalMs: Number(r.rows[0].ms), wallMs };
}

async function indexFootprint(url: string, baseline: Set<string>): Promise<{ count: number; bytes: number }> {
  const r = await execSql(url, `SELECT indexrelid::regclass::text AS name, pg_relation_size(indexrelid)::float8 AS bytes FROM pg_index i
    JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'`);
  const added = r.rows.filter((row) => !baseline.has(row.name));
  return { count: added.length, bytes: added.reduce((s, row) => s + Number(row.bytes), 0) };
}

async function main(): Promise<void> {
  const server = await benchServer('index-advisor');
  try {
    const results: { strategy: string; totalMs: number; wallMs: number; count: number; bytes: number }[] = [];
    const fresh = async (name: string): Promise<{ url: string; baseline: Set<string> }> => {
      const url = await server.createDatabase(name);
      await execSql(url, 'CREATE EXTENSION hypopg');
      await loadDemoDatabase(url);
      const r = await execSql(url, `SELECT indexrelid::regclass::text AS name FROM pg_index`);
      return { url, baseline: new Set(r.rows.map((row) => row.name as string)) };
    };

    // before
    const before = await fresh('bench_before');
    results.push({ strategy: 'before (no index added)', ...(await measure(before.url)), ...(await indexFootprint(before.url, before.baseline)) });
    const workloadSnapshot = await snapshot(before.url);

    // pgrescue
    const ours = await fresh('bench_pgrescue');
    await runDemoWorkload(ours.url, { requests });
    const started = Date.now();
    const snap = await snapshot(ours.url);
    const report = analyze(snap, ANALYZERS, { rules: ['missing-index'] });
    const scanMs = Date.now() - started;
    const creates = report.findings.flatMap((f) => (f.migrations ?? []).flatMap((m) => splitStatements(m.up).filter((s) => /^CREATE INDEX/i.test(s))));
    await applyStatements(ours.url, creates);
    results.push({ strategy: 'pgrescue missing-index', ...(await measure(ours.url)), ...(await indexFootprint(ours.url, ours.baseline)) });
    if (process.env.BENCH_VERBOSE) console.log((await execSql(ours.url, "SELECT round(total_exec_time::numeric, 1) AS ms, calls, left(query, 90) AS q FROM pg_stat_statements WHERE query NOT LIKE '%pgrescue%' ORDER BY total_exec_time DESC LIMIT 8")).rows);

    // every foreign key
    const fk = await fresh('bench_every_fk');
    const { catalog, workload } = deriveScan(workloadSnapshot);
    const fkIndexes = workloadSnapshot.constraints
      .filter((c) => c.type === 'foreign' && !hasIndexLeadingWith(catalog.indexesOf(c.schema, c.table), c.columns))
      .map((c) => `CREATE INDEX ON ${qualified(c.schema, c.table)} (${c.columns.map(quoteIdent).join(', ')})`);
    await applyStatements(fk.url, fkIndexes);
    results.push({ strategy: 'baseline: index every foreign key', ...(await measure(fk.url)), ...(await indexFootprint(fk.url, fk.baseline)) });

    // one single-column index per filtered column
    const single = await fresh('bench_single_column');
    const columns = new Set<string>();
    for (const s of workload.statements) {
      if (!s.parsed.ok) continue;
      for (const p of s.parsed.shape.predicates) {
        const table = p.tableId !== null ? s.tables[p.tableId] : undefined;
        if (!table || p.inOr || (p.operand === 'column' && p.source === 'join' && p.column === 'id')) continue;
        if (hasIndexLeadingWith(catalog.indexesOf(table.schema, table.name), [p.column])) continue;
        columns.add(`${qualified(table.schema, table.name)}|${quoteIdent(p.column)}`);
      }
    }
    await applyStatements(single.url, [...columns].map((c) => { const [t, col] = c.split('|'); return `CREATE INDEX ON ${t} (${col})`; }));
    results.push({ strategy: 'baseline: one index per filtered column', ...(await measure(single.url)), ...(await indexFootprint(single.url, single.baseline)) });

    const base = results[0]!.totalMs;
    const singleMs = results[3]!.totalMs;
    console.log(`\nIndex advisor benchmark: demo community, ${requests} member requests per run, PostgreSQL ${snap.database.serverVersion} with HypoPG`);
    console.log(`pgrescue scan with the advisor: ${scanMs} ms (${snap.advisor?.chosen.length ?? 0} indexes chosen, engine ${snap.advisor?.engine}${planCost(snap.advisor?.cost)})\n`);
    console.log('| strategy | total DB time | vs before | indexes added | index size |');
    console.log('|---|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(`| ${r.strategy} | ${r.totalMs.toFixed(0)} ms | ${(base / r.totalMs).toFixed(1)}× less | ${r.count} | ${(r.bytes / 1024 / 1024).toFixed(1)} MiB |`);
    }
    const ourMs = results[1]!.totalMs;
    console.log(`\npgrescue vs before: ${(base / ourMs).toFixed(0)}× less database time (target ≥ 100×)`);
    console.log(`pgrescue vs single-column baseline: ${(singleMs / ourMs).toFixed(1)}× less (target ≥ 3×), ${results[1]!.count} vs ${results[3]!.count} indexes (target: no more)`);
    for (const f of report.findings) console.log(`  ${f.id}: ${f.message}`);
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
