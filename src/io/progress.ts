import type { ProgressEvent } from '../model/progress.js';
import { escapeControls } from '../sql/comment.js';

/** Progress on stderr, only when it is a terminal, so piped JSON stays clean. */
export function stderrProgress(enabled: boolean = process.stderr.isTTY === true): ((event: ProgressEvent) => void) | undefined {
  if (!enabled) return undefined;
  return (event) => {
    if (event.state === 'start') return;
    const count = event.count !== undefined ? ` (${event.count})` : '';
    const mark = event.state === 'failed' ? '✗' : '✓';
    process.stderr.write(`  ${mark} ${escapeControls(event.step, { keepNewlines: false })}${count} ${event.elapsedMs ?? 0} ms\n`);
  };
}

export function note(message: string): void {
  process.stderr.write(`${escapeControls(message, { keepNewlines: true })}\n`);
}

/** Log reading progress on stderr (a terminal only): percent and MB of each file. */
export function logProgress(enabled: boolean = process.stderr.isTTY === true): ((p: { path: string; bytesRead: number; bytesTotal: number }) => void) | undefined {
  if (!enabled) return undefined;
  return (p) => {
    const pct = p.bytesTotal > 0 ? Math.floor((100 * p.bytesRead) / p.bytesTotal) : 100;
    process.stderr.write(`\r  … reading ${escapeControls(p.path, { keepNewlines: false })}: ${pct}% (${(p.bytesRead / 1e6).toFixed(0)} of ${(p.bytesTotal / 1e6).toFixed(0)} MB)${pct >= 100 ? '\n' : ''}`);
  };
}
