import { loadDemoDatabase } from '../demo/demo-database.js';
import { runDemoWorkload } from '../demo/demo-workload.js';
import { startEmbedded } from '../demo/embedded-server.js';
import type { EmbeddedServer } from '../demo/embedded-server.js';
import { UserError } from '../model/user-error.js';
import { EXIT_INTERRUPTED, markInterrupted, wasInterrupted } from './interrupt.js';
import { note, stderrProgress } from '../io/progress.js';
import { buildReport, outputReport } from '../pipeline/report-output.js';
import type { Format } from '../pipeline/report-output.js';
import { obtainSnapshot } from '../pipeline/source.js';
import type { Severity } from '../model/severity.js';

export interface DemoOptions {
  readonly format: Format;
  readonly out?: string;
  readonly failOn: Severity | 'none';
  readonly requests: number;
  readonly rules: string[];
  /** Keep the server running and print its URL instead of stopping (for exploring). */
  readonly keep: boolean;
  /** Stop after the scan: no migrations, verify or before/after. */
  readonly scanOnly: boolean;
}

/** Start an embedded Postgres, load the demo community, run the member workload, scan. Cleans up on exit and Ctrl-C. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const started = Date.now();
  const elapsed = (): string => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  let server: EmbeddedServer | null = null;
  const cleanup = async (): Promise<void> => {
    const s = server;
    server = null;
    if (s) await s.stop();
  };
  const onSignal = (): void => {
    markInterrupted();
    note('\ninterrupted: stopping the demo server…');
    void cleanup().finally(() => process.exit(EXIT_INTERRUPTED));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    note('pgrescue demo: starting an embedded PostgreSQL…');
    try {
      server = await startEmbedded();
    } catch (error) {
      throw new UserError(`pgrescue: ${(error as Error).message}`);
    }
    const url = await server.createDatabase('community');
    note(`  ✓ PostgreSQL ready on port ${server.port}, data directory ${server.dir} (${elapsed()})`);
    await loadDemoDatabase(url);
    note(`  ✓ demo community database loaded: members, communities, plans, memberships, posts, comments, invites, payments (${elapsed()})`);
    let lastShown = 0;
    const timings = await runDemoWorkload(url, {
      requests: options.requests,
      onProgress: (done, total) => {
        if (process.stderr.isTTY && (done - lastShown >= 25 || done === total)) {
          lastShown = done;
          process.stderr.write(`\r  … member workload ${done}/${total} requests`);
        }
      },
    });
    if (process.stderr.isTTY) process.stderr.write('\n');
    note(`  ✓ member workload done: ${options.requests} requests (${elapsed()})`);
    const snapshot = await obtainSnapshot({ url }, stderrProgress());
    const report = await buildReport(snapshot, options.rules);
    note(`  ✓ scan done (${elapsed()})\n`);
    const code = await outputReport(report, options.format, options.out, options.failOn);
    if (!options.scanOnly) {
      note('\npgrescue demo: the safe fixes, proven on a copy, then applied and measured');
      const { rescueDemo, rescueSummary } = await import('./demo-rescue.js');
      const outcome = await rescueDemo(server, url, { snapshot, report, timings }, options.requests, elapsed);
      if (outcome) {
        const summary = rescueSummary(outcome);
        // The table is for a person reading stdout; a JSON or Markdown report on stdout stays one document.
        if (options.format === 'table' && !options.out) process.stdout.write(summary);
        else note(summary);
      }
      note(`  done (${elapsed()})`);
      if (outcome && !outcome.verify.ok) return code === 0 ? 1 : code;
    }
    if (options.keep) {
      note(`\nThe demo database stays up until you press Ctrl-C: ${url}`);
      await new Promise(() => undefined);
    }
    return code;
  } catch (error) {
    if (wasInterrupted()) throw new UserError('pgrescue: demo interrupted', EXIT_INTERRUPTED);
    throw error;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await cleanup();
  }
}
