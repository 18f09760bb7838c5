import { ScratchConnection } from '../db/scratch.js';
import type { Snapshot } from '../model/snapshot.js';
import type { FileVerdict, StatementOutcome, Verdict, VerifyResult } from '../model/verify.js';
import { PASSING_VERDICTS } from '../model/verify.js';
import { UserError } from '../model/user-error.js';
import { deriveScan } from '../derive/scan-state.js';
import { buildReport } from '../pipeline/report-output.js';
import { slug } from '../migrate/write.js';
import { formatMs, oneLine, plural } from '../derive/format.js';
import { applyFile } from './apply.js';
import type { Applied } from './apply.js';
import { LockSampler, lockWords } from './lock-sampler.js';
import type { LockTrace } from './lock-sampler.js';
import { readMigrationFolder } from './migration-files.js';
import type { MigrationFile } from './migration-files.js';
import { Replayer, replayTargets } from './replay.js';
import type { Observation, ReplayTarget } from './replay.js';
import { schemaSignature, signatureDiff } from './schema-signature.js';
import { findingsNow } from './findings-after.js';
import type { LoggedExecution } from './logged.js';
import { fingerprint } from '../sql/parser.js';
import { replayableSelect } from '../sql/replayable.js';
import { quoteIdent } from '../sql/quote.js';
import { inferOwnership } from '../scope/ownership.js';
import { issuerOf } from '../scope/read-scopes.js';
import { identityMechanism } from '../migrate/rls.js';
import type { IdentityMechanism } from '../migrate/rls.js';

export interface VerifyOptions {
  readonly url: string;
  readonly migrations: string;
  /** The workload and findings before the migrations. */
  readonly before: Snapshot;
  readonly role?: string;
  readonly settings: readonly (readonly [string, string])[];
  readonly slowMs: number;
  readonly writerWaitMs: number;
  readonly replayTimeoutMs: number;
  readonly maxStatements: number;
  /** Exact statements from a log, replacing sampled parameters where they match a captured statement. */
  readonly logged?: ReadonlyMap<string, readonly LoggedExecution[]>;
  readonly onFile?: (verdict: FileVerdict, index: number, total: number) => void;
  readonly onStep?: (message: string) => void;
}

/** The settings that sign a replayed statement in as a member, the way pgrescue's policies read them. */
function signInAs(mechanism: IdentityMechanism): (id: string) => readonly (readonly [string, string])[] {
  if (mechanism === 'supabase') return (id) => [['request.jwt.claims', JSON.stringify({ sub: id, role: 'authenticated' })], ['request.jwt.claim.sub', id]];
  return (id) => [['app.user_id', id]];
}

/** The role the app runs as: the one behind most of the captured DB time. */
export function busiestRole(snapshot: Snapshot): string | null {
  const time = new Map<string, number>();
  for (const s of snapshot.statements) if (s.role) time.set(s.role, (time.get(s.role) ?? 0) + s.totalMs);
  return [...time].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

function outcome(t: ReplayTarget, before: Observation, after: Observation): StatementOutcome {
  return { queryid: t.queryid, query: t.query, ...(after.error ? { error: after.error } : {}), ...(before.rows ? { rowsBefore: before.rows } : {}), ...(after.rows ? { rowsAfter: after.rows } : {}), costBefore: before.cost, costAfter: after.cost };
}

function locksOf(trace: LockTrace): FileVerdict['locks'] {
  return {
    tables: Object.fromEntries(Object.entries(trace.strongest).map(([t, m]) => [t, lockWords(m)])),
    writersBlockedMs: Math.round(trace.writersBlockedMs),
    readersBlockedMs: Math.round(trace.readersBlockedMs),
    waitedMs: Math.round(trace.waitedMs),
    samples: trace.samples,
    intervalMs: trace.intervalMs,
  };
}

/**
 * Apply each migration of the folder to a scratch database, in name order, and judge it: time, locks (sampled
 * from a second connection), the captured workload replayed as the app's role (plans, errors, rows), then the
 * downs in reverse and the schema compared with where it started; one scan of the result checks that the
 * findings the files fix are gone.
 */
export async function runVerify(options: VerifyOptions): Promise<VerifyResult> {
  const started = performance.now();
  const files = await readMigrationFolder(options.migrations);
  const client = await ScratchConnection.open(options.url, 'pgrescue verify (the scratch)');
  let sampler: LockSampler | null = null;
  try {
    const [info] = await client.query<{ db: string; version: string }>("SELECT current_database() AS db, current_setting('server_version') AS version");
    const role = options.role ?? busiestRole(options.before);
    if (!role) throw new UserError('pgrescue: the captured workload names no role: give the app\'s role with --role');
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (exists.length === 0) throw new UserError(`pgrescue: role "${role.replace(/[^\x20-\x7e]/g, '?')}" does not exist on the scratch database (--role)`);
    // Every replay runs under SET LOCAL ROLE: a connection that may not take the role would make every statement
    // fail before and after alike, and the run would prove nothing.
    try {
      await client.query('BEGIN READ ONLY');
      await client.query(`SET LOCAL ROLE ${quoteIdent(role)}`);
    } catch (error) {
      throw new UserError(`pgrescue: the scratch connection cannot act as role "${role.replace(/[^\x20-\x7e]/g, '?')}" (${(error as Error).message.replace(/[^\x20-\x7e]/g, '?')}): connect as a member of that role, or as a superuser`);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
    sampler = await LockSampler.open(options.url);

    const beforeScan = deriveScan(options.before);
    const beforeReport = await buildReport(beforeScan, []);
    const stepsOf = new Map(beforeReport.findings.map((f) => [f.id, (f.migrations ?? []).map((m) => slug(m.name))]));
    const initial = await schemaSignature(client);

    options.onStep?.('sampling parameter values and replaying the captured workload once before any migration');
    const ownership = inferOwnership(beforeScan);
    const targets = replayTargets(beforeScan.workload.statements, options.maxStatements, (s) => issuerOf(beforeScan, s, ownership)).map((t) => {
      let shape: string | null = null;
      try {
        shape = options.logged ? fingerprint(t.query) : null;
      } catch {
        shape = null;
      }
      const logged = shape ? options.logged?.get(shape) : undefined;
      // A logged SELECT runs with its exact values, even one whose parameters no column explains.
      return logged && logged.length > 0 && replayableSelect(t.query) ? { ...t, executes: true, logged } : t;
    });
    const replayer = new Replayer(client, { role, settings: options.settings, timeoutMs: options.replayTimeoutMs, samples: 3, memberSetting: signInAs(identityMechanism(beforeScan.catalog)) });
    await replayer.sample(targets);
    let previous = new Map<string, Observation>();
    for (const t of targets) previous.set(t.queryid, await replayer.observe(t));
    const failingBefore = targets.filter((t) => previous.get(t.queryid)!.error !== null).length;

    const verdicts: FileVerdict[] = [];
    const applied: { file: MigrationFile; index: number }[] = [];
    let stopped = false;
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      const base = { file: file.name, fixes: file.fixes, risk: file.risk, locks: null, finding: null, broken: [], lostRows: [], costChanges: [], downMs: null, downError: null } as const;
      if (stopped) {
        verdicts.push({ ...base, verdicts: ['not-run'], failed: true, reasons: ['not applied: an earlier file failed'], applyMs: null, error: null });
        continue;
      }
      const { result, trace } = await sampler.trace<Applied>(client.pid, applyFile(client, file.up));
      const kinds: Verdict[] = [];
      const reasons: string[] = [];
      if (result.guard) {
        kinds.push('undecided');
        reasons.push('an unedited decision template: it stopped at its guard (decide, edit, delete the guard line)');
      } else if (result.error) {
        kinds.push('fails');
        reasons.push(`statement ${result.failedAt ?? '?'} failed: ${oneLine(result.error, 200)} (rolled back)`);
      }
      if (result.error) {
        stopped = true;
        verdicts.push({ ...base, verdicts: kinds, failed: true, reasons, applyMs: Math.round(result.ms), error: result.error, locks: locksOf(trace) });
        options.onFile?.(verdicts.at(-1)!, i, files.length);
        continue;
      }
      applied.push({ file, index: i });
      if (result.ms > options.slowMs) {
        kinds.push('slow');
        reasons.push(`took ${formatMs(result.ms)} (--slow ${formatMs(options.slowMs)})`);
      }
      if (trace.writersBlockedMs > options.writerWaitMs) {
        kinds.push('blocks-writers');
        const tables = Object.entries(trace.strongest).filter(([, m]) => ['ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock'].includes(m)).map(([t, m]) => `${t} (${lockWords(m)})`);
        reasons.push(`writers would have waited ${formatMs(trace.writersBlockedMs)} on ${tables.join(', ')} (--max-writer-wait ${formatMs(options.writerWaitMs)})`);
      }
      const broken: StatementOutcome[] = [];
      const lost: StatementOutcome[] = [];
      const costs: StatementOutcome[] = [];
      const next = new Map<string, Observation>();
      for (const t of targets) {
        const before = previous.get(t.queryid)!;
        const after = await replayer.observe(t);
        next.set(t.queryid, after);
        if (before.error === null && after.error !== null) broken.push(outcome(t, before, after));
        else if (before.rows && after.rows && after.rows.some((n, k) => n < (before.rows![k] ?? 0))) lost.push(outcome(t, before, after));
        if (before.cost !== null && after.cost !== null && Math.abs(after.cost - before.cost) > 0.1 * Math.max(before.cost, 1)) costs.push(outcome(t, before, after));
      }
      previous = next;
      if (broken.length > 0) {
        kinds.push('breaks-statement');
        reasons.push(`${plural(broken.length, 'captured statement')} no longer ${broken.length === 1 ? 'runs' : 'run'} as ${role}: ${oneLine(broken[0]!.query, 80)} — ${oneLine(broken[0]!.error ?? '', 120)}`);
      }
      if (lost.length > 0) {
        kinds.push('loses-rows');
        const l = lost[0]!;
        reasons.push(`${plural(lost.length, 'captured SELECT')} ${lost.length === 1 ? 'returns' : 'return'} fewer rows as ${role}: ${oneLine(l.query, 80)} (${l.rowsBefore?.join('/')} → ${l.rowsAfter?.join('/')} rows)`);
      }
      verdicts.push({ ...base, verdicts: kinds.length > 0 ? kinds : ['ok'], failed: kinds.length > 0, reasons, applyMs: Math.round(result.ms), error: null, locks: locksOf(trace), broken, lostRows: lost, costChanges: costs });
      options.onFile?.(verdicts.at(-1)!, i, files.length);
    }

    // One scan of the result: each finding is judged after the last file that fixes it.
    const lastFor = new Map<string, number>();
    for (const { file, index } of applied) if (file.fixes && stepsOf.has(file.fixes)) lastFor.set(file.fixes, index);
    if (lastFor.size > 0) {
      options.onStep?.('scanning the scratch database: are the findings the files fix gone?');
      const now = new Set((await findingsNow(options.url, options.before)).findings.map((f) => f.id));
      for (const [id, index] of lastFor) {
        const v = verdicts[index]!;
        const names = files.map((f) => f.name);
        const complete = (stepsOf.get(id) ?? []).every((s) => names.some((n) => n.includes(s)));
        const finding: FileVerdict['finding'] = !now.has(id) ? 'gone' : complete ? 'remains' : 'partial';
        const kinds = [...v.verdicts.filter((k) => k !== 'ok')];
        const reasons = [...v.reasons];
        if (finding === 'remains') {
          kinds.push('finding-remains');
          reasons.push(`every step of its fix was applied, yet ${id} is still reported`);
        } else if (finding === 'partial') {
          kinds.push('partial-fix');
          reasons.push('the finding remains: the rest of its fix is not in this folder (review or decision steps: pgrescue migrate --include …)');
        }
        verdicts[index] = { ...v, finding, verdicts: kinds.length > 0 ? kinds : ['ok'], failed: kinds.some((k) => !PASSING_VERDICTS.has(k)), reasons };
      }
    }

    options.onStep?.(`applying ${plural(applied.length, 'down file')} in reverse`);
    let downsFailed = false;
    for (const { file, index } of [...applied].reverse()) {
      const v = verdicts[index]!;
      if (file.down === null) {
        verdicts[index] = { ...v, verdicts: [...v.verdicts.filter((k) => k !== 'ok'), 'not-reversible'], failed: true, reasons: [...v.reasons, 'no down file'] };
        downsFailed = true;
        break;
      }
      const down = await applyFile(client, file.down);
      verdicts[index] = { ...verdicts[index]!, downMs: Math.round(down.ms), downError: down.error };
      if (down.error) {
        const w = verdicts[index]!;
        verdicts[index] = { ...w, verdicts: [...w.verdicts.filter((k) => k !== 'ok'), 'not-reversible'], failed: true, reasons: [...w.reasons, `its down file failed: ${oneLine(down.error, 160)}`] };
        downsFailed = true;
        break;
      }
    }
    const diff = downsFailed ? [] : signatureDiff(initial, await schemaSignature(client));
    const executed = targets.filter((t) => t.executes).length;
    const captured = options.before.statements.reduce((sum, s) => sum + s.totalMs, 0);
    const replayedMs = targets.reduce((sum, t) => sum + t.totalMs, 0);
    return {
      scratch: { database: info!.db, serverVersion: info!.version },
      migrations: options.migrations,
      role,
      files: verdicts,
      replay: {
        source: options.logged ? 'log' : 'sampled',
        statements: targets.length,
        executed,
        fromLog: targets.filter((t) => t.logged).length,
        plannedOnly: targets.length - executed,
        failingBefore,
        dbTimeShare: captured > 0 ? Math.round((replayedMs / captured) * 1000) / 1000 : 0,
      },
      schemaRestored: downsFailed ? null : diff.length === 0,
      schemaDiff: diff.slice(0, 50),
      thresholds: { slowMs: options.slowMs, writerWaitMs: options.writerWaitMs },
      applyMs: Math.round(verdicts.reduce((sum, v) => sum + (v.applyMs ?? 0), 0)),
      verifyMs: Math.round(performance.now() - started),
      ok: verdicts.every((v) => !v.failed) && !downsFailed && diff.length === 0,
    };
  } finally {
    await sampler?.close();
    await client.close();
  }
}
