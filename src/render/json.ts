import { safeJsonChunks } from './safe-json.js';
import type { Report } from '../model/report.js';

/** The JSON report, streamed finding by finding (the text equals safeJson(report)). */
export function renderJson(report: Report): Iterable<string> {
  return safeJsonChunks({ ...report, findings: report.findings.map(contractFinding) }, ['findings', 'fixFirst', 'ownership']);
}

/** A finding as the JSON contract has it: a migration's `index` (what a plan uses to leave out covered builds) stays inside. */
function contractFinding(f: Report['findings'][number]): Report['findings'][number] {
  if (!f.migrations?.some((m) => m.index)) return f;
  const strip = ({ index: _index, ...m }: NonNullable<typeof f.migration>): NonNullable<typeof f.migration> => m;
  return { ...f, ...(f.migration ? { migration: strip(f.migration) } : {}), migrations: f.migrations.map(strip) };
}
