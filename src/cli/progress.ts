import type { ProgressEvent } from '../collect/collect-snapshot.js';

/** Progress on stderr, only when it is a terminal, so piped JSON stays clean. */
export function stderrProgress(enabled: boolean = process.stderr.isTTY === true): ((event: ProgressEvent) => void) | undefined {
  if (!enabled) return undefined;
  return (event) => {
    if (event.state === 'start') return;
    const count = event.count !== undefined ? ` (${event.count})` : '';
    const mark = event.state === 'failed' ? '✗' : '✓';
    process.stderr.write(`  ${mark} ${event.step}${count} ${event.elapsedMs ?? 0} ms\n`);
  };
}

export function note(message: string): void {
  process.stderr.write(`${message}\n`);
}
