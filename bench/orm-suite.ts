/**
 * N+1 and unscoped access through real query libraries (issue 15): Prisma 7, Sequelize, TypeORM, Drizzle, Knex,
 * Kysely and node-postgres. Needs the system PostgreSQL 15
 * (apt-get install -y postgresql-15). Run: npm run bench:orm [-- pages]
 *
 * One server, one database per library (bench/orm/*): each creates the community its own way and in its default
 * naming, gets the same rows, and runs the same member session: lazy has-many and belongs-to loops, the batched and
 * eager loads that replace them, the member's own payments, and one payment by id alone. Every statement is logged
 * (log_min_duration_statement = 0, one log for the whole server). Each database is then scanned twice, from
 * pg_stat_statements and with --log over the whole server's log; the n-plus-one and unscoped-access findings are
 * compared with what was run: every loop and the by-id read must be found, nothing else.
 */
import pg from 'pg';
import { ANALYZERS } from '../analyzers/index.js';
import { analyze } from '../src/engine/run.js';
import { obtainScan } from '../src/pipeline/source.js';
import { benchServer, requireSystemPostgres } from './lib/bench-server.js';
import { drizzleOrm, knex, kysely, plainPg } from './orm/query-builders.js';
import { seed } from './orm/scenario.js';
import type { Driver, Names } from './orm/scenario.js';
import { sequelize } from './orm/sequelize.js';
import { generatePrismaClient, prisma } from './orm/prisma.js';
import { typeorm } from './orm/typeorm.js';

const pages = Number(process.argv[2] ?? 10);
const ALL: readonly Driver[] = [prisma, sequelize, typeorm, drizzleOrm, knex, kysely, plainPg];
const DRIVERS = ALL.filter((d) => !process.argv[3] || d.name.toLowerCase().includes(process.argv[3].toLowerCase()));
const RULES = ['n-plus-one', 'unscoped-access'];

interface Tally {
  found: number;
  expected: number;
  falseFindings: string[];
  missed: string[];
}

/**
 * Expected: one n-plus-one on the comments lookup by their post key, one on the author lookup by the member id, one
 * unscoped-access on the payment read by id alone. Anything else — another table, another key, a second finding for
 * the same one (the batched or eager load, the scoped payments) — is false.
 */
function judge(findings: readonly { rule: string; id: string; object: { table: string; columns?: readonly string[] }; evidence: Record<string, unknown> }[], n: Names): Tally {
  const expected = [`n-plus-one:${n.comments}:${n.commentPost}`, `n-plus-one:${n.members}:id`, `unscoped-access:${n.payments}:id-only`];
  const keyOf = (f: (typeof findings)[number]): string => `${f.rule}:${f.object.table}:${f.rule === 'n-plus-one' ? (f.object.columns?.[0] ?? '?') : String(f.evidence.shape)}`;
  const seen = new Set<string>();
  const falseFindings: string[] = [];
  for (const f of findings) {
    const key = keyOf(f);
    if (expected.includes(key) && !seen.has(key)) seen.add(key);
    else falseFindings.push(`${f.id} (${key})`);
  }
  const missed = expected.filter((e) => !seen.has(e));
  return { found: seen.size, expected: expected.length, falseFindings, missed };
}

async function main(): Promise<void> {
  requireSystemPostgres('orm-suite');
  if (DRIVERS.includes(prisma)) generatePrismaClient();
  const server = await benchServer('orm-suite', { log_min_duration_statement: '0' });
  try {
    const admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    await admin.query("ALTER SYSTEM SET log_line_prefix = '%m [%p] %q%u@%d '");
    await admin.query('SELECT pg_reload_conf()');
    await admin.end();
    const dbs: { driver: Driver; url: string; names: Names }[] = [];
    for (const driver of DRIVERS) {
      const url = await server.createDatabase(`orm_${driver.name.split(' ')[0]!.toLowerCase().replace(/[^a-z]/g, '')}`);
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await c.end();
      const names = await driver.setup(url);
      await seed(url, names);
      dbs.push({ driver, url, names });
    }
    const reset = new pg.Client({ connectionString: dbs[0]!.url });
    await reset.connect();
    await reset.query('SELECT pg_stat_statements_reset()');
    await reset.end();
    for (const db of dbs) await db.driver.run(db.url, db.names, pages);

    console.log(`\nORM benchmark: ${DRIVERS.length} libraries, ${pages} feed pages each, PostgreSQL 15, one server log\n`);
    console.log('| library | tables | pg_stat_statements: found | false | --log: found | false | N+1 fixes naming it |');
    console.log('|---|---|---:|---:|---:|---:|---:|');
    const totals = { pgss: { found: 0, expected: 0, false: 0 }, log: { found: 0, expected: 0, false: 0 } };
    const details: string[] = [];
    for (const db of dbs) {
      const row: string[] = [db.driver.name, `\`${db.names.posts}\`, \`${db.names.commentPost}\``];
      let fixes = '';
      for (const mode of ['pgss', 'log'] as const) {
        const scan = await obtainScan({ url: db.url, ...(mode === 'log' ? { log: [server.logFile!] } : {}) });
        const report = analyze(scan.snapshot, ANALYZERS, { rules: RULES, scan });
        const t = judge(report.findings, db.names);
        totals[mode].found += t.found;
        totals[mode].expected += t.expected;
        totals[mode].false += t.falseFindings.length;
        row.push(`${t.found}/${t.expected}`, String(t.falseFindings.length));
        if (process.env.BENCH_VERBOSE) for (const f of report.findings.filter((x) => t.falseFindings.includes(x.id))) details.push(`    ${f.id}: ${f.message} [${f.statements?.map((x) => x.query).join(' | ')}]`);
        if ((process.env.BENCH_STATEMENTS || (process.env.BENCH_VERBOSE && t.missed.length > 0)) && mode === 'pgss') for (const st of scan.snapshot.statements.filter((x) => x.calls >= pages * 10)) details.push(`    ${st.calls}× ${st.rows} rows: ${st.query}`);
        if (mode === 'pgss') {
          const loops = report.findings.filter((f) => f.rule === 'n-plus-one');
          const named = loops.filter((f) => (db.driver.recognizedAs ? f.remediation.includes(`${db.driver.recognizedAs} (recognized from its SQL)`) : !f.remediation.includes('recognized from its SQL')));
          fixes = `${named.length}/${loops.length}`;
        }
        if (t.missed.length > 0 || t.falseFindings.length > 0) details.push(`  ${db.driver.name} (${mode}): missed ${t.missed.join(', ') || 'none'}; false ${t.falseFindings.join(', ') || 'none'}`);
      }
      console.log(`| ${row.join(' | ')} | ${fixes} |`);
    }
    console.log(`| **all** | | **${totals.pgss.found}/${totals.pgss.expected}** | **${totals.pgss.false}** | **${totals.log.found}/${totals.log.expected}** | **${totals.log.false}** | |`);
    for (const d of details) console.log(d);
    // The target: every loop and every unscoped access found, nothing else, in both modes.
    if (totals.pgss.found < totals.pgss.expected || totals.log.found < totals.log.expected || totals.pgss.false + totals.log.false > 0) process.exitCode = 1;
  } finally {
    await server.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
