import { safeJsonChunks } from './safe-json.js';
import type { Report } from '../model/report.js';

/** The JSON report, streamed finding by finding (the text equals safeJson(report)). */
export function renderJson(report: Report): Iterable<string> {
  return safeJsonChunks(report, ['findings']);
}
