import type { Snapshot } from '../model/snapshot.js';
import type { Config } from './config.js';
import type { Finding } from '../model/finding.js';
import type { Category, Severity } from '../model/severity.js';
import type { WorkloadView } from '../derive/workload.js';

/** What an analyzer reads from the snapshot; the engine skips it (with a warning) when that is missing. */
export type Requirement = 'statements' | 'columnStats';

export interface AnalyzerMeta {
  /** Kebab-case rule id; equal to the analyzer's file name. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  readonly defaultSeverity: Severity;
  readonly requires: readonly Requirement[];
  /** True when findings carry a migration. */
  readonly fixable: boolean;
  /** One line for --help and the README. */
  readonly description: string;
}

/** Options every analyzer may read; each analyzer documents the ones it uses. */
export interface AnalyzerContext {
  readonly snapshot: Snapshot;
  readonly workload: WorkloadView;
  readonly options: Readonly<Record<string, number | string | boolean>>;
  /** "now" for age computations; fixed in tests. */
  readonly now: Date;
  /** The config file: ownership overrides, public tables, the app's role. */
  readonly config: Config;
}

export interface Analyzer {
  readonly meta: AnalyzerMeta;
  /** Pure: reads the snapshot, returns findings. No I/O. */
  detect(ctx: AnalyzerContext): Finding[];
}

export function defineAnalyzer(meta: AnalyzerMeta, detect: Analyzer['detect']): Analyzer {
  return { meta, detect };
}
