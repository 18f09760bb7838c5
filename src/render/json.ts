import { safeJson } from './safe-json.js';
import type { Report } from '../model/report.js';

export function renderJson(report: Report): string {
  return safeJson(report);
}
