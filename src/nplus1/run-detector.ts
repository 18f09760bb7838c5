import type { LogEntry, LogRun } from '../model/logs.js';
import { FingerprintCache } from './fingerprint-cache.js';
import type { Shape } from './fingerprint-cache.js';

const WITH_DURATION = /^duration: ([\d.]+) ms {2}(statement|execute [^:]*): ([\s\S]*)$/;
const PLAIN = /^(statement|execute [^:]*): ([\s\S]*)$/;

/** Whether a log message is a statement the detector reads (not a server process's line, a bind or a parse). */
export function isLoggedStatement(message: string): boolean {
  return WITH_DURATION.test(message) || PLAIN.test(message);
}
const ONLY_DURATION = /^duration: ([\d.]+) ms$/;
const PROTOCOL_STEP = /^duration: [\d.]+ ms {2}(parse|bind) /;
const NOT_WORK = /^\s*(begin|commit|rollback|end|start transaction|savepoint|release|set|reset|show|deallocate|discard)\b/i;

interface Pending {
  text: string;
  ms: number;
  params: string | null;
}

/** A loop that issues several lookups per row (count, author, count, author…): a repeating cycle of shapes. */
interface Cycle {
  readonly parent: Shape;
  readonly pattern: readonly Shape[];
  pos: number;
  repeats: number;
  readonly counts: number[];
  readonly ms: number[];
  readonly firstKeys: (string | null)[];
  readonly distinct: boolean[];
}

interface Recent {
  readonly shape: Shape;
  readonly ms: number;
  readonly key: string;
}

/** Longest cycle of lookups recognised (a loop doing up to this many queries per row). */
const MAX_CYCLE = 4;

interface SessionState {
  pending: Pending | null;
  /** The last few statements, for cycle detection. */
  recent: Recent[];
  cycle: Cycle | null;
  /** The last statement shape that ran once (not in a run) before the current run. */
  parent: Shape | null;
  run: Shape | null;
  runLength: number;
  runMs: number;
  firstParams: string | null;
  distinct: boolean;
}

interface Aggregate {
  parent: Shape;
  child: Shape;
  runs: number;
  childExecutions: number;
  longestRun: number;
  childTotalMs: number;
  sessions: Set<string>;
}

/**
 * Finds, per session, runs of one statement shape executed with different parameters right after another
 * statement (the parent): the N+1 loop, exactly. Memory is bounded by the number of open sessions (disconnected
 * sessions are dropped; at most `maxSessions` are kept) and the number of distinct shape pairs.
 */
export class RunDetector {
  private readonly sessions = new Map<string, SessionState>();
  /** The session of the last entry: already the most recent, it need not be moved (a statement is 3–5 lines). */
  private latest: { id: string; state: SessionState } | null = null;
  private readonly aggregates = new Map<string, Aggregate>();
  private readonly shapes = new FingerprintCache();
  statements = 0;

  constructor(
    private readonly minRun = 5,
    private readonly maxSessions = 10_000,
  ) {}

  add(entry: LogEntry): void {
    const state = this.session(entry.session);
    if (entry.severity === 'DETAIL') {
      const params = /^parameters: ([\s\S]*)$/i.exec(entry.message);
      if (params && state.pending) state.pending.params = params[1]!;
      return;
    }
    if (entry.severity !== 'LOG') return;
    const message = entry.message;
    // Fast path for the most common lines: the parse and bind steps of the extended protocol.
    if (message.startsWith('duration: ')) {
      const gap = message.indexOf('  ', 10);
      if (gap !== -1 && (message.startsWith('parse ', gap + 2) || message.startsWith('bind ', gap + 2))) return;
    }
    let m = WITH_DURATION.exec(message);
    if (m) {
      this.begin(entry.session, state, m[3]!, Number(m[1]), entry.detail);
      return;
    }
    m = PLAIN.exec(message);
    if (m) {
      this.begin(entry.session, state, m[2]!, 0, entry.detail);
      return;
    }
    m = ONLY_DURATION.exec(message);
    if (m) {
      if (state.pending) state.pending.ms += Number(m[1]);
      return;
    }
    if (PROTOCOL_STEP.test(message)) return;
    if (message.startsWith('disconnection:')) {
      this.flush(entry.session, state);
      this.close(entry.session, state);
      this.closeCycle(entry.session, state);
      this.sessions.delete(entry.session);
      this.latest = null;
    }
  }

  private session(id: string): SessionState {
    if (this.latest?.id === id) return this.latest.state;
    let state = this.sessions.get(id);
    if (state) {
      // keep recently active sessions at the end (least recently used first)
      this.sessions.delete(id);
      this.sessions.set(id, state);
      this.latest = { id, state };
      return state;
    }
    state = { pending: null, recent: [], cycle: null, parent: null, run: null, runLength: 0, runMs: 0, firstParams: null, distinct: false };
    this.sessions.set(id, state);
    this.latest = { id, state };
    if (this.sessions.size > this.maxSessions) {
      const [oldId, oldState] = this.sessions.entries().next().value as [string, SessionState];
      this.flush(oldId, oldState);
      this.close(oldId, oldState);
      this.closeCycle(oldId, oldState);
      this.sessions.delete(oldId);
      if (this.latest?.id === oldId) this.latest = null;
    }
    return state;
  }

  private begin(session: string, state: SessionState, text: string, ms: number, detail: string | null): void {
    this.flush(session, state);
    const params = detail ? /^parameters: ([\s\S]*)$/i.exec(detail)?.[1] ?? null : null;
    state.pending = { text, ms, params };
  }

  /** The pending statement is complete (its DETAIL and duration have arrived): feed it to the run logic. */
  private flush(session: string, state: SessionState): void {
    const p = state.pending;
    if (!p) return;
    state.pending = null;
    if (NOT_WORK.test(p.text)) return;
    this.statements++;
    const shape = this.shapes.get(p.text);
    if (!shape) return;
    // Different parameters: the bound values, or for literal SQL the text itself.
    const key = p.params ?? p.text;
    this.cycles(session, state, shape, p.ms, key);
    if (state.run && shape.fingerprint === state.run.fingerprint) {
      state.runLength++;
      state.runMs += p.ms;
      if (key !== state.firstParams) state.distinct = true;
      return;
    }
    this.close(session, state);
    // The parent is the last statement that ran once: after a loop over a list, a second loop over the same
    // list (comments, then authors) still belongs to that list.
    if (state.runLength === 1) state.parent = state.run;
    state.run = shape;
    state.runLength = 1;
    state.runMs = p.ms;
    state.firstParams = key;
    state.distinct = false;
  }

  private close(session: string, state: SessionState): void {
    if (!state.run || !state.parent || state.runLength < this.minRun || !state.distinct) return;
    this.record(session, state.parent, state.run, state.runLength, state.runMs);
  }

  private record(session: string, parent: Shape, child: Shape, length: number, ms: number): void {
    const id = `${parent.fingerprint}>${child.fingerprint}`;
    let a = this.aggregates.get(id);
    if (!a) {
      a = { parent, child, runs: 0, childExecutions: 0, longestRun: 0, childTotalMs: 0, sessions: new Set() };
      this.aggregates.set(id, a);
    }
    a.runs++;
    a.childExecutions += length;
    a.longestRun = Math.max(a.longestRun, length);
    a.childTotalMs += ms;
    if (a.sessions.size < 1000) a.sessions.add(session);
  }

  /**
   * Cycles: after a list statement, a pattern of 2–4 different key lookups repeated at least minRun times
   * (a loop that loads several relations per row). A pattern that contains a list statement is a sequence of
   * requests, not a loop, and is ignored.
   */
  private cycles(session: string, state: SessionState, shape: Shape, ms: number, key: string): void {
    const c = state.cycle;
    if (c && shape.fingerprint === c.pattern[c.pos]!.fingerprint) {
      c.counts[c.pos]!++;
      c.ms[c.pos]! += ms;
      if (key !== c.firstKeys[c.pos]) c.distinct[c.pos] = true;
      c.pos = (c.pos + 1) % c.pattern.length;
      if (c.pos === 0) c.repeats++;
    } else {
      this.closeCycle(session, state);
      const recent = state.recent;
      // The same shape again is a plain run (handled by the run logic), never the start of a cycle: skip the search.
      const previous = recent[recent.length - 1];
      const searching = previous !== undefined && previous.shape.fingerprint !== shape.fingerprint;
      for (let d = 2; searching && d <= MAX_CYCLE && !state.cycle; d++) {
        const start = recent.length - d;
        const parent = recent[start - 1];
        if (start < 1 || !parent || recent[start]!.shape.fingerprint !== shape.fingerprint) continue;
        const members = recent.slice(start);
        const distinctShapes = new Set(members.map((m) => m.shape.fingerprint)).size === d;
        if (!distinctShapes || !members.every((m) => m.shape.lookup) || !parent.shape.list) continue;
        state.cycle = {
          parent: parent.shape,
          pattern: members.map((m) => m.shape),
          pos: 1 % d,
          repeats: 1,
          counts: members.map((_, i) => (i === 0 ? 2 : 1)),
          ms: members.map((m, i) => m.ms + (i === 0 ? ms : 0)),
          firstKeys: members.map((m) => m.key),
          distinct: members.map((m, i) => i === 0 && key !== m.key),
        };
      }
    }
    state.recent.push({ shape, ms, key });
    if (state.recent.length > MAX_CYCLE + 2) state.recent.shift();
  }

  private closeCycle(session: string, state: SessionState): void {
    const c = state.cycle;
    state.cycle = null;
    if (!c || c.repeats < this.minRun) return;
    c.pattern.forEach((child, i) => {
      if (c.distinct[i]) this.record(session, c.parent, child, c.counts[i]!, c.ms[i]!);
    });
  }

  finish(): LogRun[] {
    for (const [id, state] of this.sessions) {
      this.flush(id, state);
      this.close(id, state);
      this.closeCycle(id, state);
    }
    this.sessions.clear();
    this.latest = null;
    return [...this.aggregates.values()]
      .map((a) => ({
        parentFingerprint: a.parent.fingerprint,
        childFingerprint: a.child.fingerprint,
        parentQuery: a.parent.normalized,
        childQuery: a.child.normalized,
        runs: a.runs,
        childExecutions: a.childExecutions,
        longestRun: a.longestRun,
        childTotalMs: Math.round(a.childTotalMs * 1000) / 1000,
        sessions: a.sessions.size,
      }))
      .sort((x, y) => y.childTotalMs - x.childTotalMs || y.childExecutions - x.childExecutions);
  }
}
