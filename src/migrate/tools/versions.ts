import type { VersionStyle } from './tool.js';

function stamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function fromStamp(version: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(version);
  if (!m) return null;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * `count` new versions that sort after every version already in the folder and after each other: tools apply
 * migrations in version order and refuse (or silently skip) one numbered at or below what they already ran.
 */
export function nextVersions(style: VersionStyle, existing: readonly string[], now: Date, count: number): string[] {
  if (style === 'index') {
    const next = existing.reduce((max, v) => Math.max(max, Number(v) + 1), 0);
    return Array.from({ length: count }, (_, i) => String(next + i).padStart(4, '0'));
  }
  if (style === 'numbered') {
    // The stamp never goes back (a clock behind the last run's would sort the new files first); the number counts on.
    const next = existing.reduce((max, v) => Math.max(max, Number(v.split('_')[1] ?? 0) + 1), 1);
    const at = existing.reduce((max, v) => (v.split('_')[0]! > max ? v.split('_')[0]! : max), stamp(now));
    return Array.from({ length: count }, (_, i) => `${at}_${String(next + i).padStart(3, '0')}`);
  }
  if (style === 'millis') {
    const start = existing.reduce((max, v) => Math.max(max, Number(v) + 1), now.getTime());
    return Array.from({ length: count }, (_, i) => String(start + i));
  }
  // A folder numbered 1, 2, 3 (golang-migrate -seq, Flyway V1, V2) keeps counting in its own width.
  const sequential = existing.length > 0 && existing.every((v) => v.length < 10);
  if (sequential) {
    const width = Math.max(...existing.map((v) => v.length));
    const next = existing.reduce((max, v) => (BigInt(v) + 1n > max ? BigInt(v) + 1n : max), 0n);
    return Array.from({ length: count }, (_, i) => String(next + BigInt(i)).padStart(width, '0'));
  }
  let start = Math.floor(now.getTime() / 1000) * 1000;
  for (const v of existing) {
    const date = fromStamp(v);
    if (date) start = Math.max(start, date.getTime() + 1000);
  }
  return Array.from({ length: count }, (_, i) => stamp(new Date(start + i * 1000)));
}
