import { safeJson } from './safe-json.js';
import type { Report } from '../engine/report.js';

export function renderJson(report: Report): string {
  return safeJson(report);
}
