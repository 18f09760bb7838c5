import { Session } from '../db/session.js';
import { UserError } from '../model/user-error.js';
import type { Snapshot } from '../model/snapshot.js';
import { obtainScan, parsePositiveInt } from '../pipeline/source.js';
import { readSnapshot } from '../pipeline/snapshot-file.js';
import { note, stderrProgress } from '../io/progress.js';
import { emit } from '../io/output.js';
import { displayLine } from '../render/display-safe.js';
import { renderVerify, verdictWords } from '../render/verify.js';
import { runVerify } from '../verify/run-verify.js';
import { formatMs } from '../derive/format.js';
import { loggedStatements } from '../verify/logged.js';
import { resolveConnection } from '../db/connection-options.js';
import type { FileVerdict, VerifyResult } from '../model/verify.js';

export interface VerifyFlags {
  readonly url?: string;
  readonly scratch?: boolean;
  readonly migrations: string;
  readonly snapshot?: string;
  readonly from?: string;
  readonly log?: string[];
  readonly role?: string;
  readonly set?: string[];
  readonly slow: string;
  readonly maxWriterWait: string;
  readonly replayTimeout: string;
  readonly maxStatements: string;
  readonly format: string;
  readonly out?: string;
}

const VERIFY_FORMATS = ['table', 'json', 'markdown'] as const;

/** --set name=value: a setting the app has in its transactions (app.user_id…). */
function parseSettings(values: readonly string[] | undefined): [string, string][] {
  return (values ?? []).map((v) => {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new UserError(`pgrescue: --set expects NAME=VALUE (e.g. app.user_id=42), got "${displayLine(v)}"`);
    return [v.slice(0, eq).trim(), v.slice(eq + 1)];
  });
}

/** Who a connection reaches: the same server start time, port and database name mean the same database. */
async function identity(url: string): Promise<string | null> {
  // Read-only, like every connection to a database the user did not declare disposable (--from is production).
  let session: Session | null = null;
  try {
    session = await Session.open(resolveConnection(url));
    const rows = await session.query<{ id: string }>("SELECT current_database() || '|' || pg_postmaster_start_time()::text || '|' || current_setting('port') AS id");
    return rows[0]?.id ?? null;
  } catch {
    return null;
  } finally {
    await session?.close().catch(() => undefined);
  }
}

export function fileLine(v: FileVerdict): string {
  return `  ${v.failed ? '✗' : '✓'} ${displayLine(v.file)}: ${v.verdicts.map((k) => verdictWords(v, k)).join(', ')}${v.applyMs !== null ? ` (${formatMs(v.applyMs)})` : ''}`;
}

/** `pgrescue verify`: the checks before anything is touched, then the run, the report and the exit code. */
export async function verifyCommand(flags: VerifyFlags): Promise<number> {
  if (!flags.scratch) {
    throw new UserError('pgrescue: verify applies the migrations to the database it is given and rolls them back: pass --scratch to declare it disposable (a branch, a restored backup, CREATE DATABASE … TEMPLATE); never your production database');
  }
  if (!flags.url) throw new UserError('pgrescue: verify needs --url SCRATCH_URL (the disposable copy to apply the migrations to)');
  if (!flags.snapshot === !flags.from) throw new UserError('pgrescue: verify needs the workload captured before: --snapshot BEFORE.json or --from SOURCE_URL (one of them)');
  const format = flags.format as (typeof VERIFY_FORMATS)[number];
  if (!VERIFY_FORMATS.includes(format)) throw new UserError(`pgrescue: --format must be one of ${VERIFY_FORMATS.join(', ')}`);
  const slowMs = parsePositiveInt(flags.slow, '--slow', 60_000);
  const writerWaitMs = parsePositiveInt(flags.maxWriterWait, '--max-writer-wait', 1000);
  const replayTimeoutMs = parsePositiveInt(flags.replayTimeout, '--replay-timeout', 5000);
  const maxStatements = parsePositiveInt(flags.maxStatements, '--max-statements', 200);
  const settings = parseSettings(flags.set);
  resolveConnection(flags.url); // a malformed URL is a one-line error before anything runs
  const scratchUrl = flags.url;
  let before: Snapshot;
  if (flags.from) {
    resolveConnection(flags.from);
    const source = flags.from;
    const [a, b] = await Promise.all([identity(source), identity(scratchUrl)]);
    if (a !== null && a === b) throw new UserError('pgrescue: --url and --from reach the same database: verify needs a disposable copy of it (CREATE DATABASE copy TEMPLATE source, a branch, a restored backup)');
    before = (await obtainScan({ url: source }, stderrProgress())).snapshot;
  } else {
    before = await readSnapshot(flags.snapshot!);
  }
  const logged = flags.log && flags.log.length > 0 ? await loggedStatements(flags.log, before.database.name) : undefined;
  const result: VerifyResult = await runVerify({
    url: scratchUrl,
    migrations: flags.migrations,
    before,
    role: flags.role,
    settings,
    slowMs,
    writerWaitMs,
    replayTimeoutMs,
    maxStatements,
    logged,
    onStep: (m) => note(`  … ${m}`),
    onFile: (v) => note(fileLine(v)),
  });
  await emit(renderVerify(result, format), flags.out);
  return result.ok ? 0 : 1;
}
