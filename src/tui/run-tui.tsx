// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import { EXIT_INTERRUPTED } from '../model/user-error.js';
import React from 'react';
import { render } from 'ink';
import type { ProgressEvent } from '../model/progress.js';
import type { Config } from '../engine/config.js';
import type { Report } from '../model/report.js';
import { toolVersion } from '../io/version.js';
import { planMigrations } from '../migrate/plan.js';
import { RISKS } from '../model/finding.js';
import { writeMigrations } from '../migrate/write.js';
import type { MigrationTool } from '../migrate/tools/tool.js';
import { buildReport, outputReport } from '../pipeline/report-output.js';
import type { SourceOptions } from '../pipeline/source.js';
import { obtainSnapshot } from '../pipeline/source.js';
import { resolveConnection } from '../db/connection-options.js';
import { App, Interrupted } from './app.js';
import type { Collection } from './app.js';
import { colorsEnabled, theme } from './theme.js';
import { displayLine, displaySafe } from '../render/display-safe.js';

export interface TuiOptions extends SourceOptions {
  readonly rules: string[];
  readonly config: Config;
  readonly out: string;
  /** The migration tool's layout for written files. */
  readonly tool?: MigrationTool;
}

/** The collection runs outside the UI; the UI only listens to its progress and receives the report. */
export function startCollection(options: TuiOptions): Collection {
  const listeners = new Set<(e: ProgressEvent) => void>();
  const target = options.snapshot ? `snapshot ${options.snapshot}` : safeTarget(options.url);
  const raw: Promise<Report> = obtainSnapshot(options, (e) => listeners.forEach((l) => l(e))).then((snap) => buildReport(snap, options.rules, options.config));
  raw.catch(() => undefined);
  // The UI only ever sees the display-safe copy; migrations are written from the raw report.
  const report = raw.then((r) => displaySafe(r));
  report.catch(() => undefined);
  return {
    target: displayLine(target),
    report,
    raw,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function safeTarget(url: string | undefined): string {
  try {
    return resolveConnection(url).display;
  } catch {
    return 'database';
  }
}

/** Open the TUI on a terminal; elsewhere print the table report. Returns the exit code. */
export async function runTui(options: TuiOptions): Promise<number> {
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    const snap = await obtainSnapshot(options);
    return outputReport(await buildReport(snap, options.rules, options.config), 'table', undefined, 'none');
  }
  // A dependency's deprecation notice (pgpass, on Node 20+) would be printed over the screen: the user can do
  // nothing about it, so the interactive app keeps the terminal to itself.
  process.noDeprecation = true;
  const collection = startCollection(options);
  const write = async (ids: ReadonlySet<string>, dir: string): Promise<string[]> => {
    const [raw, shown] = await Promise.all([collection.raw ?? collection.report, collection.report]);
    // Ids on screen are escaped copies: map them back by position to the raw findings.
    const rawIds = new Set(shown.findings.flatMap((f, i) => (ids.has(f.id) ? [raw.findings[i]!.id] : [])));
    // Findings picked by hand: every step of their fixes, each file marked with its risk.
    const plan = planMigrations(raw, rawIds, new Set(RISKS));
    if (plan.length === 0) throw new Error('the selected findings have no migration (they are fixed in the app, or by hand)');
    const { written, skipped, howToRun } = await writeMigrations(plan, { dir, force: false, now: new Date(), toolVersion: toolVersion(), tool: options.tool });
    return [
      ...written.flatMap((w) => w.files.map((f, i) => `${f}${i === 0 && w.planned.migration.destructive ? '  [DESTRUCTIVE: removes an object or data]' : ''}${i === 0 ? `  [${w.planned.migration.risk}]` : ''}`)),
      ...skipped.map((s) => `${s.file} (already there, left as it is; \`pgrescue migrate --force\` rewrites it)`),
      ...howToRun.map((line) => `to apply: ${line}`),
    ];
  };
  // Ctrl-C goes through the app (not ink's own handler), so the command can exit 130 as the others do.
  const app = render(<App collection={collection} theme={theme(colorsEnabled())} defaultDir={options.out} write={write} />, { exitOnCtrlC: false });
  try {
    await app.waitUntilExit();
  } catch (error) {
    if (error instanceof Interrupted) return EXIT_INTERRUPTED;
    throw error;
  }
  return 0;
}
