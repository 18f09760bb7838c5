import type { Capabilities, Warning } from './snapshot.js';
import type { AdvisorWindow, StatementOutcome } from './advisor.js';
import type { Finding, Migration, Risk } from './finding.js';
import type { Category, Severity } from './severity.js';
import type { BaselineSummary } from './baseline.js';
import type { BudgetSummary } from './budget.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface ReportStatement {
  readonly queryid: string;
  readonly query: string;
  readonly calls: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly p95EstimateMs: number;
  readonly rows: number;
  /** What the index advisor concluded for it, and why (absent when the advisor did not run). */
  readonly indexAdvice?: { readonly outcome: StatementOutcome; readonly reason: string };
}

/** A finding as the JSON contract shows it: `migration` is the first step, `migrations` all of them. */
export interface ReportFinding extends Omit<Finding, 'migrations'> {
  readonly migration?: Migration;
  readonly migrations?: readonly Migration[];
  /** With `scan --baseline`: whether the baseline already had this finding. */
  readonly baseline?: 'new' | 'known';
}

/** One root cause in the fix-first plan: the findings it explains, ranked by the database time it holds. */
export interface FixItem {
  readonly rank: number;
  readonly title: string;
  /** Ids of the findings with this cause (an N+1, the index its lookup needs, the foreign key under it). */
  readonly findings: readonly string[];
  readonly rules: readonly string[];
  readonly object: { readonly schema: string; readonly table: string; readonly columns?: readonly string[] };
  readonly severity: Severity;
  /** The hardest step of the fix (`none`: fixed in the app or by hand). */
  readonly risk: Risk | 'none';
  /** Share (0–1) of the database's measured statement time spent in the statements these findings name. */
  readonly dbTimeShare: number;
}

export interface Report {
  readonly schemaVersion: typeof REPORT_SCHEMA_VERSION;
  readonly tool: { readonly name: 'pgrescue'; readonly version: string };
  readonly generatedAt: string;
  readonly database: {
    readonly name: string;
    readonly serverVersion: string;
    readonly serverVersionNum: number;
    /** ISO time; null when the server does not say (never absent). */
    readonly statsResetAt: string | null;
    readonly statementsResetAt: string | null;
  };
  readonly capabilities: Capabilities;
  readonly warnings: readonly Warning[];
  readonly summary: {
    readonly bySeverity: Readonly<Record<Severity, number>>;
    readonly byCategory: Readonly<Record<Category, number>>;
    readonly statementsAnalyzed: number;
    readonly statementsUnparsed: number;
  };
  readonly statements: readonly ReportStatement[];
  /** How the index advisor ran: its engine and the stats window its advice rests on (absent when it did not run). */
  readonly indexAdvisor?: { readonly engine: 'hypopg' | 'heuristic'; readonly window: AdvisorWindow | null };
  readonly findings: readonly ReportFinding[];
  /** The findings grouped by root cause, most database time first: what to fix first. */
  readonly fixFirst: readonly FixItem[];
  /** With `scan --baseline`: the comparison (new, known, fixed). */
  readonly baseline?: BaselineSummary;
  /** With a latency budget (`--budget`, or `budget` in the config): the budgets and the statements over them. */
  readonly budget?: BudgetSummary;
  /** How pgrescue decided which tables belong to members (override in pgrescue.config.json: owners, publicTables). */
  readonly ownership: readonly ReportOwnership[];
}

export interface ReportOwnership {
  readonly table: string;
  readonly ownerColumns: readonly string[];
  readonly path: readonly string[];
  readonly sensitive: boolean;
}
