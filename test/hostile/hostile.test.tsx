// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import { DECISION_GUARD, GUARD_IN_BLOCK, withoutGuard } from '../../src/migrate/decision.js';
import React from 'react';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { render } from 'ink-testing-library';
import pg from 'pg';
import { ensureParser, parseTree, plpgsqlBlock } from '../../src/sql/parser.js';
import { App } from '../../src/tui/app.js';
import { theme } from '../../src/tui/theme.js';
import { startCollection } from '../../src/tui/run-tui.js';
import { EMPTY_CONFIG } from '../../src/engine/config.js';
import { splitStatements } from '../harness/apply-sql.js';
import { sqlInToolFile } from '../harness/tool-files.js';
import { TOOL_NAMES } from '../../src/migrate/tools/tool.js';
import { runCli } from '../harness/cli.js';
import { execSql, freshName, useEmbeddedServer } from '../harness/server.js';
import { hostileSchemaSql, loadHostileRows, N, runHostileWorkload, SECRET_MARK } from './hostile-fixture.js';

/** Control characters a terminal acts on; newline and tab are the outputs' own layout. */
// eslint-disable-next-line no-control-regex
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

function assertClean(label: string, text: string): void {
  assert.ok(!text.includes(SECRET_MARK), `${label}: a planted secret reached the output`);
  const control = TERMINAL_CONTROL.exec(text);
  assert.equal(control, null, `${label}: control character U+${control?.[0].codePointAt(0)?.toString(16).padStart(4, '0')} reached the output`);
}

/** Statement kinds a pgrescue migration may contain; anything else would be text from the database running. */
const ALLOWED_KINDS = new Set([
  'VariableSetStmt',
  'TransactionStmt',
  'IndexStmt',
  'DropStmt',
  'AlterTableStmt',
  'SelectStmt',
  'CreatePolicyStmt',
  'CreateTableAsStmt',
  'DeleteStmt',
  'UpdateStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'DoStmt',
]);
/** Statements a DO block of a recipe may run (the batched dedupe), and what the block itself may do. */
const BLOCK_KINDS = new Set(['SelectStmt', 'DropStmt', 'CreateTableAsStmt', 'IndexStmt', 'UpdateStmt', 'DeleteStmt']);
const BLOCK_STATEMENTS = new Set(['block', 'perform', 'execsql', 'commit', 'fori', 'raise', 'return']);
/** Functions a migration may call (the planted public.f never). */
const ALLOWED_FUNCTIONS = new Set(['lower', 'count', 'first_value', 'nextval', 'setval', 'max', 'coalesce', 'current_setting', 'nullif', 'set_config', 'sum', 'row_number']);

/** Only the statement kinds recipes write, naming only the fixture's relations, calling only the allowed functions. */
function checkRecipeSql(file: string, text: string, known: ReadonlySet<string>): void {
  const refs = { relations: new Set<string>(), functions: new Set<string>() };
  const guards = text.split('\n').filter((line) => line.includes(DECISION_GUARD));
  assert.ok(
    guards.every((g) => g.trim() === `DO $$ BEGIN RAISE EXCEPTION '${DECISION_GUARD}: read this file''s header, decide, edit the SQL, then delete this line'; END $$;` || g === GUARD_IN_BLOCK),
    `${file}: the guard is pgrescue's constant statement`,
  );
  for (const s of parseTree(withoutGuard(text)).stmts ?? []) {
    const kind = Object.keys(s.stmt ?? {})[0]!;
    assert.ok(ALLOWED_KINDS.has(kind), `${file}: unexpected ${kind}`);
    if (kind === 'DoStmt') {
      // Inside the block, by PostgreSQL's PL/pgSQL parser: only the dedupe's own statements, on known tables.
      const body = (s.stmt as { DoStmt: { args: { DefElem: { arg: { String: { sval: string } } } }[] } }).DoStmt.args[0]!.DefElem.arg.String.sval;
      const block = plpgsqlBlock(body);
      for (const k of block.kinds) assert.ok(BLOCK_STATEMENTS.has(k), `${file}: the block runs ${k}`);
      for (const sql of block.statements) {
        for (const inner of parseTree(sql).stmts ?? []) {
          const innerKind = Object.keys(inner.stmt ?? {})[0]!;
          assert.ok(BLOCK_KINDS.has(innerKind), `${file}: the block runs ${innerKind}`);
          references(inner.stmt, refs);
        }
      }
    } else references(s.stmt, refs);
  }
  for (const rel of refs.relations) assert.ok(known.has(rel) || rel.endsWith('_backup') || rel === 'pgrescue_dupes' || rel === 'pgrescue_dedupe', `${file}: names relation ${JSON.stringify(rel)}`);
  for (const fn of refs.functions) assert.ok(ALLOWED_FUNCTIONS.has(fn), `${file}: calls ${fn}`);
}

/** Relations and functions named anywhere in a parse tree. */
function references(node: unknown, out: { relations: Set<string>; functions: Set<string> }): void {
  if (Array.isArray(node)) return node.forEach((n) => references(n, out));
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, { relname?: string; funcname?: { String: { sval: string } }[] }>;
  if (o.RangeVar?.relname !== undefined) out.relations.add(o.RangeVar.relname);
  if (o.FuncCall?.funcname) out.functions.add(o.FuncCall.funcname.map((p) => p.String.sval).join('.'));
  Object.values(o).forEach((v) => references(v, out));
}

describe('a hostile database: nothing it holds runs as SQL, leaks a secret or reaches the terminal', () => {
  const serverLog: string[] = [];
  const server = useEmbeddedServer({
    settings: { log_statement: 'all', log_line_prefix: '%m [%p] %a|', track_functions: 'all', 'pg_stat_statements.track_utility': 'on' },
    onLog: (chunk) => serverLog.push(chunk),
  });
  let url = '';
  let work = '';
  let logFile = '';

  before(async () => {
    await ensureParser();
    url = await server().createDatabase(freshName('hostile'));
    await execSql(url, 'CREATE EXTENSION pg_stat_statements');
    await execSql(url, hostileSchemaSql());
    await loadHostileRows(url);
    await execSql(url, 'SELECT pg_stat_statements_reset()');
    await runHostileWorkload(url);
    work = await mkdtemp(join(tmpdir(), 'pgrescue-hostile-'));
    // The server's own log of the workload (stderr format, with parameters): the input of --log.
    logFile = join(work, 'postgresql.log');
    await writeFile(logFile, serverLog.join(''));
  });

  it('scan in every format: no planted secret, no control character, exit 0', async () => {
    for (const format of ['table', 'json', 'markdown']) {
      const r = await runCli(['scan', '--url', url, '--format', format]);
      assert.equal(r.code, 0, `${format}: ${r.stderr}`);
      assertClean(`scan --format ${format} (stdout)`, r.stdout);
      assertClean(`scan --format ${format} (stderr)`, r.stderr);
      if (format === 'markdown') {
        // A shared report renders names as text: no link, no HTML, no fence a name could close.
        assert.ok(r.stdout.includes('pay here'), 'the Markdown-named table is in the report');
        // Outside code fences (inside, text is shown verbatim): a fence closes only on its own backtick run.
        const prose: string[] = [];
        let fence: string | null = null;
        for (const line of r.stdout.split('\n')) {
          const run = /^(`{3,})/.exec(line)?.[1];
          if (fence === null && run) fence = run;
          else if (fence !== null && line === fence) fence = null;
          else if (fence === null) prose.push(line);
        }
        assert.equal(fence, null, 'every fence is closed');
        assert.doesNotMatch(prose.join('\n'), /<img|(?<!\\)\]\(https:\/\/evil/);
      }
      if (format === 'json') {
        const report = JSON.parse(r.stdout) as { findings: { id: string; rule: string }[]; statements: { query: string }[] };
        // The hostile objects were reached: the rules saw them, so the outputs above really carried their names.
        assert.ok(report.findings.some((f) => f.id.includes(N.email)), 'the hostile email column was analyzed');
        assert.ok(report.findings.some((f) => f.id.includes(N.escTable)), 'the ESC-named table was analyzed');
        assert.ok(report.findings.some((f) => f.id.includes(N.schema)), 'the hostile schema was analyzed');
        // The advisor's partial index names the hostile column in its predicate, quoted.
        const partial = report.findings.find((f) => f.rule === 'missing-index' && f.id.includes(N.deleted));
        assert.ok(partial, `a partial index on the hostile predicate column: ${report.findings.map((f) => f.id).join(' | ')}`);
        const planted = (report as unknown as { warnings: { code: string; message: string }[] }).warnings.find((w) => w.code === 'advisor-skipped-user-functions');
        assert.ok(planted, 'the statement calling the planted IMMUTABLE function was not planned, and a warning says so');
        const utility = report.statements.filter((s) => s.query.includes('text withheld by pgrescue'));
        assert.ok(utility.length > 0, 'the planted utility statements are listed, reduced to their kind');
      }
    }
  });

  it('missing-check shows counts only when values are not labels shared by several rows', async () => {
    const r = await runCli(['scan', '--url', url, '--format', 'json', '--rules', 'missing-check']);
    const report = JSON.parse(r.stdout) as { findings: { object: { columns: string[] }; evidence: Record<string, unknown>; message: string }[] };
    const status = report.findings.find((f) => f.object.columns[0] === N.status);
    assert.ok(status, 'the status column is reported');
    assert.equal(status.evidence.valuesShown, false);
    assert.doesNotMatch(status.message, /4111|active/);
  });

  it('snapshot, then scan --snapshot: the shared file holds no secret and no raw control character', async () => {
    const file = join(work, 'snap.json');
    const snap = await runCli(['snapshot', '--url', url, '--out', file]);
    assert.equal(snap.code, 0, snap.stderr);
    assertClean('snapshot file', await readFile(file, 'utf8'));
    const offline = await runCli(['scan', '--snapshot', file]);
    assert.equal(offline.code, 0, offline.stderr);
    assertClean('scan --snapshot', offline.stdout + offline.stderr);
  });

  it('scan --log over the server log (parameters hold secrets): nothing leaks', async () => {
    assert.ok((await readFile(logFile, 'utf8')).includes(SECRET_MARK), 'the log really holds the planted secrets');
    for (const format of ['table', 'json']) {
      const r = await runCli(['scan', '--url', url, '--log', logFile, '--format', format]);
      assert.equal(r.code, 0, r.stderr);
      assertClean(`scan --log --format ${format}`, r.stdout + r.stderr);
    }
  });

  it('migrate: every file parses to only the statements its recipes write, and applied to a copy runs nothing else', async () => {
    const dir = join(work, 'migrations');
    // Every risk class: decision templates are checked (and applied) as a user would after deciding, guard removed.
    const r = await runCli(['migrate', '--tool', 'plain', '--url', url, '--out', dir, '--include', 'review,decision']);
    assert.equal(r.code, 0, r.stderr);
    assertClean('migrate (stderr)', r.stderr);
    const files = (await readdir(dir)).sort();
    assert.ok(files.length >= 20, `migrations were written (${files.length})`);
    const tables = (await execSql(url, `SELECT relname::text AS name FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')`)).rows.map((row) => (row as { name: string }).name);
    const known = new Set([...tables.filter((t) => t !== 'canary'), 'pgrescue_dedupe']);
    for (const file of files) {
      const text = await readFile(join(dir, file), 'utf8');
      assertClean(file, text);
      for (const line of text.split('\n')) {
        if (line.startsWith('--')) assert.ok(!line.includes('*/'), `${file}: a comment line carries a comment terminator`);
      }
      checkRecipeSql(file, text, known);
    }
    // Applied as psql would, statement by statement, on a copy: every file succeeds and nothing planted runs.
    const copyName = freshName('hostile_copy');
    await execSql(server().url(), `CREATE DATABASE ${copyName} TEMPLATE ${pg.escapeIdentifier(new URL(url).pathname.slice(1))}`);
    const copy = server().url(copyName);
    const client = new pg.Client({ connectionString: copy });
    await client.connect();
    try {
      for (const file of files.filter((f) => f.endsWith('.up.sql'))) {
        for (const statement of splitStatements(withoutGuard(await readFile(join(dir, file), 'utf8')))) {
          await client.query(statement).catch((error: Error) => assert.fail(`${file}: ${error.message}`));
        }
      }
      const [state] = (await client.query(`SELECT to_regclass('public.canary') IS NOT NULL AS canary, to_regclass('public.pwned') IS NULL AS no_mark, (SELECT rolsuper FROM pg_roles WHERE rolname = 'attacker') AS super`)).rows;
      assert.deepEqual(state, { canary: true, no_mark: true, super: false });
    } finally {
      await client.end();
    }
  });

  it('migrate --tool: every tool\'s files (JS, TS, Ruby, dbmate sections, journals) hold only pgrescue\'s SQL', async () => {
    const tables = (await execSql(url, `SELECT relname::text AS name FROM pg_class WHERE relkind IN ('r', 'p') AND relnamespace::regnamespace::text NOT IN ('pg_catalog', 'information_schema')`)).rows.map((row) => (row as { name: string }).name);
    const known = new Set([...tables.filter((t) => t !== 'canary'), 'pgrescue_dedupe']);
    for (const tool of TOOL_NAMES.filter((t) => t !== 'plain')) {
      const dir = join(work, `tool-${tool}`, 'migrations');
      const r = await runCli(['migrate', '--tool', tool, '--url', url, '--out', dir, '--include', 'review,decision']);
      assert.equal(r.code, 0, `${tool}: ${r.stderr}`);
      assertClean(`migrate --tool ${tool} (stderr)`, r.stderr);
      const files = (await readdir(join(work, `tool-${tool}`), { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      assert.ok(files.length >= 10, `${tool}: files written`);
      for (const entry of files) {
        const file = join(entry.parentPath, entry.name);
        const text = await readFile(file, 'utf8');
        assertClean(file, text);
        for (const sql of sqlInToolFile(entry.name, text)) checkRecipeSql(file, sql, known);
      }
    }
  });

  it('the TUI (test terminal): overview, list and every detail screen are free of control characters and secrets', async () => {
    const collection = startCollection({ url, rules: [], config: EMPTY_CONFIG, out: join(work, 'tui-migrations') });
    const ui = render(<App collection={collection} theme={theme(false)} defaultDir={join(work, 'tui-migrations')} write={async () => []} />);
    try {
      const report = await collection.report;
      const frames: string[] = [];
      const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 60));
      await settle();
      frames.push(ui.lastFrame() ?? '');
      ui.stdin.write('\t');
      await settle();
      for (let i = 0; i < report.findings.length; i++) {
        frames.push(ui.lastFrame() ?? '');
        ui.stdin.write('\r');
        await settle();
        frames.push(ui.lastFrame() ?? '');
        ui.stdin.write('\u001b');
        await settle();
        ui.stdin.write('j');
        await settle();
      }
      assert.ok(frames.some((f) => f.includes('Posts')), 'the hostile tables are on screen');
      frames.forEach((f, i) => assertClean(`TUI frame ${i}`, f));
    } finally {
      ui.unmount();
    }
  });

  it('every query pgrescue sent used the extended protocol: the scanning session never left read-only', async () => {
    const lines = serverLog.join('').split('\n').filter((l) => l.includes(' pgrescue|'));
    assert.ok(lines.some((l) => l.includes('LOG:  execute')), 'pgrescue statements are in the server log');
    // log_statement logs simple-protocol queries as "statement:", extended ones as "execute <name>:".
    assert.deepEqual(lines.filter((l) => /pgrescue\|LOG: {2}statement:/.test(l)), []);
    const leavesReadOnly = /^(BEGIN|START TRANSACTION)[^;]*READ WRITE|^SET (SESSION )?(CHARACTERISTICS AS )?TRANSACTION[^;]*READ WRITE|^SET (default_)?transaction_read_only\s*(=|TO)\s*(off|false|0)/i;
    assert.deepEqual(lines.map((l) => l.split('LOG:  execute <unnamed>: ')[1] ?? '').filter((sql) => leavesReadOnly.test(sql)), []);
  });

  it('afterwards: the planted function never ran, the attacker is no superuser, the canary lives', async () => {
    const [state] = (
      await execSql(
        url,
        `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = 'attacker') AS super, to_regclass('public.canary') IS NOT NULL AS canary,
                to_regclass('public.pwned') IS NULL AS no_mark, coalesce((SELECT calls FROM pg_stat_user_functions WHERE funcname = 'f'), 0)::int AS f_calls`,
      )
    ).rows as { super: boolean; canary: boolean; no_mark: boolean; f_calls: number }[];
    assert.deepEqual(state, { super: false, canary: true, no_mark: true, f_calls: 0 });
    const log = serverLog.join('');
    assert.ok(log.includes('planted-function-ran as attacker'), 'the IMMUTABLE function ran in the workload');
    assert.ok(!/planted-function-ran as (?!attacker|%)/.test(log), 'and never as anyone else (planning would have folded it)');
  });
});
