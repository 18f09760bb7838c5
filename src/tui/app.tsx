// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { ReactElement } from 'react';
import type { ProgressEvent } from '../model/progress.js';
import type { Report } from '../model/report.js';
import { FindingDetail } from './components/finding-detail.js';
import { FindingsList } from './components/findings-list.js';
import { HelpOverlay } from './components/help-overlay.js';
import { Overview } from './components/overview.js';
import { ProgressView } from './components/progress-view.js';
import { WriteView } from './components/write-view.js';
import type { Theme } from './theme.js';
import { currentFinding, findingsInView, initialState, reduce } from './state.js';
import { displayLine } from '../render/display-safe.js';

/** The collection the UI was handed: its progress, and the report when it is done. */
/** Ctrl-C: the app exits with this error, and the command with 130. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

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

/**
 * The root dispatches: every key, progress event and result goes through the pure reducer (./state.ts), so each
 * key sees the state the previous one left, even in a burst. Effects the reducer asks for (write, exit) run here.
 */
export function App({ collection, theme, defaultDir, write }: AppProps) {
  const { exit } = useApp();
  const { width, height } = useTerminalSize();
  const [state, dispatch] = useReducer(reduce, defaultDir, initialState);
  const [started] = useState(Date.now());
  const [now, setNow] = useState(Date.now());

  useEffect(() => collection.subscribe((e) => dispatch({ type: 'progress', line: { ...e, at: Date.now() } })), [collection]);
  useEffect(() => {
    let live = true;
    collection.report.then(
      (report) => live && dispatch({ type: 'report', report }),
      (e: Error) => live && dispatch({ type: 'failed', message: displayLine(e.message) }),
    );
    return () => {
      live = false;
    };
  }, [collection]);
  useEffect(() => {
    if (state.screen !== 'progress' || state.error) return;
    const timer = setInterval(() => setNow(Date.now()), 200);
    return () => clearInterval(timer);
  }, [state.screen, state.error]);
  useEffect(() => {
    const effect = state.effect;
    if (!effect) return;
    dispatch({ type: 'effect-started' });
    if (effect.kind === 'exit') exit(effect.interrupted ? new Interrupted() : undefined);
    else {
      write(effect.ids, effect.dir).then(
        (files) => dispatch({ type: 'written', files: files.map(displayLine) }),
        (e: Error) => dispatch({ type: 'write-failed', message: displayLine(e.message) }),
      );
    }
  }, [state.effect, exit, write]);

  // ink may call a handler of an earlier render: read whether a text field has focus through a ref.
  const typingRef = useRef(false);
  typingRef.current = state.searching || (state.screen === 'write' && state.write.phase === 'confirm');
  useInput((input, key) => {
    // A burst ("jj\r" typed fast, or pasted) arrives as one input: outside text fields, one event per key.
    const typing = typingRef.current;
    const keys = input.length > 1 && !typing && !key.ctrl && !key.meta && /^[\x20-\x7e\r]+$/.test(input) ? [...input].map((ch) => ({ input: ch, return: ch === '\r' })) : [{ ...key, input }];
    for (const k of keys) dispatch({ type: 'key', key: k });
  });

  const findings = useMemo(() => findingsInView(state), [state.report, state.filter, state.sort]);
  const current = currentFinding(state);
  let body: ReactElement;
  if (state.screen === 'progress' || !state.report) {
    body = <ProgressView target={collection.target} lines={state.progress} elapsedMs={now - started} error={state.error} theme={theme} />;
  } else if (state.screen === 'overview') {
    body = <Overview report={state.report} width={width} height={height} theme={theme} />;
  } else if (state.screen === 'detail' && current) {
    body = <FindingDetail finding={current} scroll={state.scroll} width={width} height={height} theme={theme} statements={state.report.statements} />;
  } else if (state.screen === 'write') {
    body = <WriteView state={state.write} theme={theme} scroll={state.scroll} width={width} height={height} />;
  } else {
    body = <FindingsList findings={findings} cursor={state.cursor} selected={state.selected} filter={state.filter} sort={state.sort} searching={state.searching} width={width} height={height} theme={theme} />;
  }
  return <Box flexDirection="column">{state.help ? <HelpOverlay /> : body}</Box>;
}
