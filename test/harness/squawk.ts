import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli.js';

export interface SquawkViolation {
  readonly file: string;
  readonly line: number;
  readonly rule_name: string;
  readonly message: string;
}

/** Lint SQL files with squawk (the squawk-cli dev dependency); returns its violations. */
export function squawk(files: readonly string[]): SquawkViolation[] {
  const bin = join(PROJECT_ROOT, 'node_modules', '.bin', 'squawk');
  const result = spawnSync(bin, ['--reporter', 'json', '--pg-version', '15.0', ...files], { encoding: 'utf8' });
  if (result.status !== 0 && result.status !== 1) throw new Error(`squawk failed (${result.status}): ${result.stderr}`);
  const out = result.stdout.trim();
  return out ? (JSON.parse(out) as SquawkViolation[]) : [];
}
