import type { Snapshot } from '../model/snapshot.js';
import type { Config } from './config.js';
import type { Finding, FindingDraft } from '../model/finding.js';
import { findingId } from '../model/finding.js';
import type { Category, Severity } from '../model/severity.js';
import type { WorkloadView } from '../derive/workload.js';
import type { Catalog } from '../derive/catalog.js';
import type { ScanState } from '../derive/scan-state.js';
import type { TableOwnership } from '../scope/ownership.js';

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
  /**
   * The options the rule reads, by name (set as "<rule>.<name>" in the config file), each with its default and
   * what it does. The config file is checked against these; the rule's page documents each (a test checks).
   */
  readonly options?: Readonly<Record<string, RuleOption>>;
}

export interface RuleOption {
  readonly default: number;
  readonly description: string;
}

/** Options every analyzer may read; each analyzer documents the ones it uses. */
export interface AnalyzerContext {
  readonly snapshot: Snapshot;
  /** The scan's derived state, built once for all rules: catalog lookups and the parsed workload. */
  readonly scan: ScanState;
  readonly catalog: Catalog;
  readonly workload: WorkloadView;
  /** Who owns each table's rows (inferred once per scan, with the config's overrides). */
  readonly ownership: ReadonlyMap<string, TableOwnership>;
  readonly options: Readonly<Record<string, number | string | boolean>>;
  /** "now" for age computations; fixed in tests. */
  readonly now: Date;
  /** The config file: ownership overrides, public tables, the app's role. */
  readonly config: Config;
  /** A declared option of this rule: the config's value, else its default. */
  option(name: string): number;
}

export interface Analyzer {
  readonly meta: AnalyzerMeta;
  /** Pure: reads the snapshot, returns findings (drafts: the engine fills in rule, category, title and id). No I/O. */
  detect(ctx: AnalyzerContext): readonly FindingDraft[];
}

/** A rule's draft made whole from its meta: the one place rule id, category, title and id are written. */
export function completeFinding(meta: AnalyzerMeta, draft: FindingDraft): Finding {
  const { id, key, title, severity, message, ...rest } = draft;
  return { id: id ?? findingId(meta.id, draft.object, key), rule: meta.id, category: meta.category, severity, title: title ?? meta.title, message, ...rest };
}

export function defineAnalyzer(meta: AnalyzerMeta, detect: Analyzer['detect']): Analyzer {
  return { meta, detect };
}

/** The option reader a rule gets: only declared options, as numbers. */
export function optionReader(meta: AnalyzerMeta, values: Readonly<Record<string, number | string | boolean>>): (name: string) => number {
  return (name) => {
    const spec = meta.options?.[name];
    if (!spec) throw new Error(`rule ${meta.id} reads option "${name}" without declaring it in its meta`);
    const value = values[`${meta.id}.${name}`];
    return value === undefined ? spec.default : Number(value);
  };
}
