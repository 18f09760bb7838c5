import { readLogEntries } from '../collect/logs/read-log.js';
import type { LogEntry } from '../model/logs.js';
import { ensureParser, fingerprint } from '../sql/parser.js';
import { logProgress } from '../io/progress.js';
import { replayableSelect } from '../sql/replayable.js';

/** One logged execution: the exact text, its bound values and the app's custom settings at the time. */
export interface LoggedExecution {
  readonly text: string;
  readonly values: readonly (string | null)[];
  readonly settings: readonly (readonly [string, string])[];
}

const STATEMENT = /^(?:duration: [\d.]+ ms {2})?(?:statement|execute [^:]*): ([\s\S]*)$/;
const PARAMS = /^parameters: ([\s\S]*)$/i;
const PARAM = /\$(\d+) = (NULL|'((?:[^']|'')*)')/g;
const SET = /^\s*SET\s+(?:LOCAL\s+|SESSION\s+)?([a-z_][\w]*\.[\w.]+)\s*(?:=|TO)\s*'((?:[^']|'')*)'\s*;?\s*$/i;
const SET_CONFIG = /^\s*SELECT\s+set_config\(\s*(?:'([\w.]+)'|\$(\d+))\s*,\s*(?:'((?:[^']|'')*)'|\$(\d+))/i;
/** Executions kept per statement shape, and shapes kept in all: memory stays bounded on any log. */
const PER_SHAPE = 3;
const MAX_SHAPES = 5000;

function parameters(detail: string | null): (string | null)[] {
  const m = detail ? PARAMS.exec(detail) : null;
  if (!m) return [];
  const values: (string | null)[] = [];
  for (const p of m[1]!.matchAll(PARAM)) values[Number(p[1]) - 1] = p[2] === 'NULL' ? null : p[3]!.replace(/''/g, "'");
  return values;
}

/**
 * The SELECTs of the database's log entries with their parameters and session settings, grouped by statement
 * shape (libpg-query's fingerprint: the same for the logged text and pg_stat_statements' normalized one). The
 * values replace sampled ones in verify's replay; they are bound as parameters and never printed.
 */
export async function loggedStatements(paths: readonly string[], database: string): Promise<Map<string, LoggedExecution[]>> {
  await ensureParser();
  const byShape = new Map<string, LoggedExecution[]>();
  const settings = new Map<string, Map<string, string>>();
  const pending = new Map<string, { text: string; values: (string | null)[] }>();
  const finish = (session: string): void => {
    const p = pending.get(session);
    pending.delete(session);
    if (!p) return;
    const set = SET.exec(p.text);
    const config = set ? null : SET_CONFIG.exec(p.text);
    if (set || config) {
      const name = set ? set[1]! : config![1] ?? p.values[Number(config![2]) - 1];
      const value = set ? set[2]!.replace(/''/g, "'") : config![3]?.replace(/''/g, "'") ?? p.values[Number(config![4]) - 1];
      if (name && value !== undefined && value !== null && name.includes('.')) {
        const s = settings.get(session) ?? new Map<string, string>();
        s.set(name, value);
        settings.set(session, s);
      }
      return;
    }
    let shape: string;
    try {
      shape = fingerprint(p.text);
    } catch {
      return;
    }
    const list = byShape.get(shape) ?? (byShape.size < MAX_SHAPES ? [] : null);
    if (!list || list.length >= PER_SHAPE) return;
    if (list.some((e) => e.text === p.text && e.values.join('\u0000') === p.values.join('\u0000'))) return;
    // Parsed only now, for the few kept per shape: a logged text is data, run only if it is one plain SELECT.
    if (!replayableSelect(p.text)) return;
    list.push({ text: p.text, values: p.values, settings: [...(settings.get(session) ?? new Map<string, string>())] });
    byShape.set(shape, list);
  };
  const add = (e: LogEntry): void => {
    if (e.database !== null && e.database !== database) return;
    if (e.severity === 'DETAIL') {
      const p = pending.get(e.session);
      if (p) p.values = parameters(e.message);
      return;
    }
    if (e.severity !== 'LOG') return;
    const m = STATEMENT.exec(e.message);
    if (!m) return;
    finish(e.session);
    pending.set(e.session, { text: m[1]!, values: parameters(e.detail) });
  };
  for (const path of paths) await readLogEntries(path, add, logProgress());
  for (const session of [...pending.keys()]) finish(session);
  return byShape;
}
