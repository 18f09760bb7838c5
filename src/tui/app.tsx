// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, useApp, useInput, useStdout } from 'ink';
import type { Key } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { ProgressEvent } from '../model/progress.js';
import type { Report } from '../model/report.js';
import { FindingDetail } from './components/finding-detail.js';
import { FindingsList } from './components/findings-list.js';
import { HelpOverlay } from './components/help-overlay.js';
import { Overview } from './components/overview.js';
import type { ProgressLine } from './components/progress-view.js';
import { ProgressView } from './components/progress-view.js';
import type { WriteState } from './components/write-view.js';
import { WriteView } from './components/write-view.js';
import type { Theme } from './theme.js';
import type { ListFilter, SortOrder } from './view-model.js';
import { nextFilter, NO_FILTER, visibleFindings } from './view-model.js';
import { displayLine } from '../render/display-safe.js';

/** The collection the UI was handed: its progress, and the report when it is done. */
export interface Collection {
  readonly target: string;
  subscribe(listener: (event: ProgressEvent) => void): () => void;
  /** The report as displayed: every text escaped for the terminal (render/display-safe). */
  readonly report: Promise<Report>;
  /** The same report unescaped, for writing migrations; absent in tests that never write. */
  readonly raw?: Promise<Report>;
}

export interface AppProps {
  readonly collection: Collection;
  readonly theme: Theme;
  readonly defaultDir: string;
  /** The migrate command's writer: writes the selected findings' migrations, returns the files. */
  readonly write: (findingIds: ReadonlySet<string>, dir: string) => Promise<string[]>;
}

type Screen = 'progress' | 'overview' | 'list' | 'detail' | 'write';

/** The Key record of a single printable character (or enter) replayed from a burst. */
function keyFor(ch: string): Key {
  return {
    upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
    return: ch === '\r', escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  } as Key;
}

function useTerminalSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const [size, setSize] = useState({ width: stdout.columns || 80, height: stdout.rows || 24 });
  useEffect(() => {
    const onResize = (): void => setSize({ width: stdout.columns || 80, height: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

/** The root owns all state; screens are components that take props. */
export function App({ collection, theme, defaultDir, write }: AppProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  const [screen, setScreen] = useState<Screen>('progress');
  const [report, setReport] = useState<Report | null>(null);
  const [progress, setProgress] = useState<ProgressLine[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [started] = useState(Date.now());
  const [now, setNow] = useState(Date.now());
  const [cursor, setCursor] = useState(0);
  const [scroll, setScroll] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [filter, setFilter] = useState<ListFilter>(NO_FILTER);
  const [sort, setSort] = useState<SortOrder>('severity');
  const [searching, setSearching] = useState(false);
  const [help, setHelp] = useState(false);
  const [writeState, setWriteState] = useState<WriteState>({ phase: 'confirm', dir: defaultDir, count: 0 });

  useEffect(() => collection.subscribe((e) => setProgress((p) => [...p, { ...e, at: Date.now() }])), [collection]);
  useEffect(() => {
    let live = true;
    collection.report.then(
      (r) => {
        if (!live) return;
        setReport(r);
        setScreen('overview');
      },
      (e: Error) => live && setError(displayLine(e.message)),
    );
    return () => {
      live = false;
    };
  }, [collection]);
  useEffect(() => {
    if (screen !== 'progress' || error) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [screen, error]);

  const findings = useMemo(() => (report ? visibleFindings(report, filter, sort) : []), [report, filter, sort]);
  const current = findings[Math.min(cursor, Math.max(0, findings.length - 1))];

  const toggle = (id: string): void =>
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const handle = (input: string, key: Key): void => {
    if (help) {
      setHelp(false);
      return;
    }
    if (searching) {
      if (key.return) setSearching(false);
      else if (key.escape) {
        setSearching(false);
        setFilter((f) => ({ ...f, search: '' }));
      } else if (key.backspace || key.delete) setFilter((f) => ({ ...f, search: f.search.slice(0, -1) }));
      else if (input && !key.ctrl && !key.meta) setFilter((f) => ({ ...f, search: f.search + input }));
      setCursor(0);
      return;
    }
    if (screen === 'write' && writeState.phase === 'confirm') {
      if (key.escape) setScreen('list');
      else if (key.return) {
        const dir = writeState.dir;
        setWriteState({ phase: 'writing', dir });
        write(selected, dir).then(
          (files) => setWriteState({ phase: 'done', files: files.map(displayLine) }),
          (e: Error) => setWriteState({ phase: 'error', message: displayLine(e.message) }),
        );
      } else if (key.backspace || key.delete) setWriteState({ ...writeState, dir: writeState.dir.slice(0, -1) });
      else if (input && !key.ctrl && !key.meta) setWriteState({ ...writeState, dir: writeState.dir + input });
      return;
    }
    if (input === 'q') {
      exit();
      return;
    }
    if (input === '?') {
      setHelp(true);
      return;
    }
    if (!report) return;
    const up = key.upArrow || input === 'k';
    const down = key.downArrow || input === 'j';
    const back = key.escape || key.backspace || key.delete;
    switch (screen) {
      case 'overview':
        if (key.tab || key.return) setScreen('list');
        break;
      case 'list':
        if (up) setCursor((c) => Math.max(0, c - 1));
        else if (down) setCursor((c) => Math.min(findings.length - 1, c + 1));
        else if (key.return && current) {
          setScroll(0);
          setScreen('detail');
        } else if (key.tab || back) setScreen('overview');
        else if (input === ' ' && current) toggle(current.id);
        else if (input === 'a') setSelected((s) => (findings.every((f) => s.has(f.id)) ? new Set() : new Set(findings.map((f) => f.id))));
        else if (input === 'f') {
          setFilter((f) => nextFilter(report, f));
          setCursor(0);
        } else if (input === 's') setSort((s) => (s === 'severity' ? 'time-saved' : 'severity'));
        else if (input === '/') setSearching(true);
        else if (input === 'w') {
          const ids = selected.size > 0 ? selected : current ? new Set([current.id]) : new Set<string>();
          setSelected(ids);
          setWriteState({ phase: 'confirm', dir: defaultDir, count: ids.size });
          setScreen('write');
        }
        break;
      case 'detail':
        if (back) setScreen('list');
        else if (up) setScroll((s) => Math.max(0, s - 1));
        else if (down) setScroll((s) => s + 1);
        else if (input === ' ' && current) toggle(current.id);
        break;
      case 'write':
        if (back) setScreen('list');
        break;
    }
  };

  // A burst of keys can reach us as one input ("jj\r" typed fast, or pasted): outside text fields, play it back
  // one key per render so that every key sees the state the previous one left.
  const queue = useRef<string[]>([]);
  const [drain, setDrain] = useState(0);
  const typing = searching || (screen === 'write' && writeState.phase === 'confirm');
  // Keys go to the handler of the latest render, even before ink re-subscribes after a state change.
  const latest = useRef({ handle, typing });
  latest.current = { handle, typing };
  useInput((input, key) => {
    const { handle: current, typing: inText } = latest.current;
    if (input.length > 1 && !inText && !key.ctrl && !key.meta && /^[\x20-\x7e\r]+$/.test(input)) {
      queue.current.push(...input.slice(1));
      current(input[0]!, keyFor(input[0]!));
      setDrain((d) => d + 1);
      return;
    }
    current(input, key);
  });
  useEffect(() => {
    const next = queue.current.shift();
    if (next === undefined) return;
    handle(next, keyFor(next));
    setDrain((d) => d + 1);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drain]);

  let body: ReactElement;
  if (screen === 'progress' || !report) {
    body = <ProgressView target={collection.target} lines={progress} elapsedMs={now - started} error={error} theme={theme} />;
  } else if (screen === 'overview') {
    body = <Overview report={report} width={width} height={height} theme={theme} />;
  } else if (screen === 'detail' && current) {
    body = <FindingDetail finding={current} scroll={scroll} width={width} height={height} theme={theme} />;
  } else if (screen === 'write') {
    body = <WriteView state={writeState} theme={theme} />;
  } else {
    body = <FindingsList findings={findings} cursor={cursor} selected={selected} filter={filter} sort={sort} searching={searching} width={width} height={height} theme={theme} />;
  }
  return <Box flexDirection="column">{help ? <HelpOverlay /> : body}</Box>;
}
