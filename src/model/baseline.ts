import type { Severity } from './severity.js';

export const BASELINE_VERSION = 1;

/** One finding a team has accepted for now (`scan --update-baseline`): matched by its stable id. */
export interface BaselineEntry {
  readonly id: string;
  readonly rule: string;
  readonly severity: Severity;
}

/** The findings known when the baseline was recorded; a later scan marks each finding new or known. */
export interface Baseline {
  readonly baselineVersion: typeof BASELINE_VERSION;
  readonly tool: { readonly name: 'pgrescue'; readonly version: string };
  readonly recordedAt: string;
  readonly findings: readonly BaselineEntry[];
}

/** What the report says about the baseline it was compared with. */
export interface BaselineSummary {
  readonly file: string;
  readonly recordedAt: string;
  readonly new: number;
  readonly known: number;
  /** Ids in the baseline that no longer appear: fixed (or no longer detected). */
  readonly fixed: readonly string[];
}
