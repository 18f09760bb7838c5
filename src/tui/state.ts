import type { ProgressEvent } from '../model/progress.js';
import type { Report } from '../model/report.js';
import type { ListFilter, SortOrder } from './view-model.js';
import { nextFilter, NO_FILTER, visibleFindings } from './view-model.js';

export type Screen = 'progress' | 'overview' | 'list' | 'detail' | 'write';

export type WriteState =
  | { readonly phase: 'confirm'; readonly dir: string; readonly count: number }
  | { readonly phase: 'writing'; readonly dir: string }
  | { readonly phase: 'done'; readonly files: readonly string[] }
  | { readonly phase: 'error'; readonly message: string };

export interface ProgressLine extends ProgressEvent {
  readonly at: number;
}

/** The keys the UI reads (ink's Key has more). */
export interface KeyPress {
  readonly input: string;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
}

/** How far PgUp/PgDn move in a list or a detail screen. */
const PAGE = 10;

/** Work the reducer asks the App to do (I/O stays out of the reducer); cleared by 'effect-started'. */
/** `interrupted`: Ctrl-C, which exits 130 like every other command. */
export type Effect = { readonly kind: 'exit'; readonly interrupted?: boolean } | { readonly kind: 'write'; readonly ids: ReadonlySet<string>; readonly dir: string };

export interface TuiState {
  readonly screen: Screen;
  readonly report: Report | null;
  readonly error: string | null;
  readonly progress: readonly ProgressLine[];
  readonly cursor: number;
  readonly scroll: number;
  readonly selected: ReadonlySet<string>;
  readonly filter: ListFilter;
  readonly sort: SortOrder;
  readonly searching: boolean;
  readonly help: boolean;
  readonly write: WriteState;
  readonly defaultDir: string;
  readonly effect: Effect | null;
}

export type TuiEvent =
  | { readonly type: 'key'; readonly key: KeyPress }
  | { readonly type: 'progress'; readonly line: ProgressLine }
  | { readonly type: 'report'; readonly report: Report }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'written'; readonly files: readonly string[] }
  | { readonly type: 'write-failed'; readonly message: string }
  | { readonly type: 'effect-started' };

export function initialState(defaultDir: string): TuiState {
  return {
    screen: 'progress',
    report: null,
    error: null,
    progress: [],
    cursor: 0,
    scroll: 0,
    selected: new Set(),
    filter: NO_FILTER,
    sort: 'severity',
    searching: false,
    help: false,
    write: { phase: 'confirm', dir: defaultDir, count: 0 },
    defaultDir,
    effect: null,
  };
}

/** The findings on screen, in order: what the cursor moves over. */
export function findingsInView(state: TuiState): Report['findings'] {
  return state.report ? visibleFindings(state.report, state.filter, state.sort) : [];
}

export function currentFinding(state: TuiState): Report['findings'][number] | undefined {
  const findings = findingsInView(state);
  return findings[Math.min(state.cursor, Math.max(0, findings.length - 1))];
}

function toggled(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

const typed = (k: KeyPress): boolean => k.input.length > 0 && !k.ctrl && !k.meta && !k.return && !k.escape && !k.tab;

/** Typing in the search field: text, backspace, enter keeps the search, escape clears it. */
function searchKey(s: TuiState, k: KeyPress): TuiState {
  if (k.return) return { ...s, searching: false, cursor: 0 };
  if (k.escape) return { ...s, searching: false, filter: { ...s.filter, search: '' }, cursor: 0 };
  if (k.backspace || k.delete) return { ...s, filter: { ...s.filter, search: s.filter.search.slice(0, -1) }, cursor: 0 };
  if (typed(k)) return { ...s, filter: { ...s.filter, search: s.filter.search + k.input }, cursor: 0 };
  return s;
}

/** The write screen's directory prompt: edit, enter writes (an effect), escape goes back. */
function confirmKey(s: TuiState, k: KeyPress, dir: string): TuiState {
  if (k.escape) return { ...s, screen: 'list' };
  if (k.return) return { ...s, write: { phase: 'writing', dir }, effect: { kind: 'write', ids: s.selected, dir } };
  if (k.backspace || k.delete) return { ...s, write: { phase: 'confirm', dir: dir.slice(0, -1), count: s.selected.size } };
  if (typed(k)) return { ...s, write: { phase: 'confirm', dir: dir + k.input, count: s.selected.size } };
  return s;
}

function listKey(s: TuiState, k: KeyPress, report: Report): TuiState {
  const findings = findingsInView(s);
  const current = currentFinding(s);
  const up = k.upArrow || k.input === 'k';
  const down = k.downArrow || k.input === 'j';
  const last = Math.max(0, findings.length - 1);
  if (up) return { ...s, cursor: Math.max(0, s.cursor - 1) };
  if (down) return { ...s, cursor: Math.min(last, s.cursor + 1) };
  if (k.pageUp) return { ...s, cursor: Math.max(0, s.cursor - PAGE) };
  if (k.pageDown) return { ...s, cursor: Math.min(last, s.cursor + PAGE) };
  if (k.home || k.input === 'g') return { ...s, cursor: 0 };
  if (k.end || k.input === 'G') return { ...s, cursor: last };
  if (k.return) return current ? { ...s, scroll: 0, screen: 'detail' } : s;
  if (k.tab || k.escape || k.backspace || k.delete) return { ...s, screen: 'overview' };
  if (k.input === ' ') return current ? { ...s, selected: toggled(s.selected, current.id) } : s;
  if (k.input === 'a') {
    // Adds every finding in view to the selection (picks made elsewhere stay); pressed again, removes them.
    const all = findings.every((f) => s.selected.has(f.id));
    const selected = new Set(s.selected);
    for (const f of findings) {
      if (all) selected.delete(f.id);
      else selected.add(f.id);
    }
    return { ...s, selected };
  }
  if (k.input === 'f') return { ...s, filter: nextFilter(report, s.filter), cursor: 0 };
  if (k.input === 'F') return { ...s, filter: nextFilter(report, s.filter, -1), cursor: 0 };
  if (k.input === 's') return { ...s, sort: s.sort === 'severity' ? 'time-saved' : 'severity' };
  if (k.input === '/') return { ...s, searching: true };
  if (k.input === 'w') {
    const ids = s.selected.size > 0 ? s.selected : current ? new Set([current.id]) : new Set<string>();
    return { ...s, selected: ids, write: { phase: 'confirm', dir: s.defaultDir, count: ids.size }, screen: 'write' };
  }
  return s;
}

/** Line scrolling shared by the detail and the write result: arrows or j/k, PgUp/PgDn, Home/g. */
function scrolled(s: TuiState, k: KeyPress): TuiState {
  if (k.upArrow || k.input === 'k') return { ...s, scroll: Math.max(0, s.scroll - 1) };
  if (k.downArrow || k.input === 'j') return { ...s, scroll: s.scroll + 1 };
  if (k.pageUp) return { ...s, scroll: Math.max(0, s.scroll - PAGE) };
  if (k.pageDown) return { ...s, scroll: s.scroll + PAGE };
  if (k.home || k.input === 'g') return { ...s, scroll: 0 };
  return s;
}

function key(s: TuiState, k: KeyPress): TuiState {
  if (k.ctrl && k.input === 'c') return { ...s, effect: { kind: 'exit', interrupted: true } };
  if (s.help) return { ...s, help: false };
  if (s.searching) return searchKey(s, k);
  if (s.screen === 'write' && s.write.phase === 'confirm') return confirmKey(s, k, s.write.dir);
  if (k.input === 'q') return { ...s, effect: { kind: 'exit' } };
  if (k.input === '?') return { ...s, help: true };
  if (!s.report) return s;
  const back = k.escape || k.backspace || k.delete;
  switch (s.screen) {
    case 'overview':
      return k.tab || k.return ? { ...s, screen: 'list' } : s;
    case 'list':
      return listKey(s, k, s.report);
    case 'detail': {
      const current = currentFinding(s);
      if (back) return { ...s, screen: 'list' };
      if (k.input === ' ' && current) return { ...s, selected: toggled(s.selected, current.id) };
      return scrolled(s, k);
    }
    case 'write':
      // The list of written files scrolls like the detail: at 80×24 a large selection does not fit.
      return back ? { ...s, screen: 'list' } : scrolled(s, k);
    default:
      return s;
  }
}

/** The whole UI as a pure function of the previous state and one event: keys, progress, the report, results. */
export function reduce(s: TuiState, e: TuiEvent): TuiState {
  switch (e.type) {
    case 'key':
      return key(s, e.key);
    case 'progress':
      return { ...s, progress: [...s.progress, e.line] };
    case 'report':
      return { ...s, report: e.report, screen: 'overview' };
    case 'failed':
      return { ...s, error: e.message };
    case 'written':
      return { ...s, write: { phase: 'done', files: e.files }, scroll: 0 };
    case 'write-failed':
      return { ...s, write: { phase: 'error', message: e.message } };
    case 'effect-started':
      return { ...s, effect: null };
  }
}
