import type { Migration, Risk } from '../model/finding.js';
import type { Report } from '../model/report.js';

/** One step to write: the migration and the finding it fixes. */
export interface PlannedMigration {
  readonly findingId: string;
  readonly rule: string;
  readonly migration: Migration;
}

/** What `migrate` writes unless told otherwise: only steps that change no data and take no long lock. */
export const DEFAULT_RISKS: ReadonlySet<Risk> = new Set(['safe']);

/**
 * Where a step runs in the plan: 0 read-only reports and previews; 1 plain (non-unique) index builds, so a
 * cleanup or dedupe that repoints references finds its rows by index, not by a scan per batch; 2 cleanups and
 * dedupes (before any unique index or constraint they could otherwise trip); 3 the rest.
 */
export function phaseOf(p: PlannedMigration): 0 | 1 | 2 | 3 {
  const { name, index } = p.migration;
  if (/^(report_|preview_)/.test(name)) return 0;
  if (index && !index.unique) return 1;
  return /^(cleanup_|dedupe_)/.test(name) ? 2 : 3;
}

/**
 * Every fix of the report's findings whose risk is included, in report order (most severe first), steps in their
 * order. Steps with the same name (two findings asking for the same index) are written once.
 */
export function planMigrations(report: Report, findingIds?: ReadonlySet<string>, include: ReadonlySet<Risk> = DEFAULT_RISKS): PlannedMigration[] {
  const seen = new Set<string>();
  const plan: PlannedMigration[] = [];
  for (const finding of report.findings) {
    if (findingIds && !findingIds.has(finding.id)) continue;
    for (const migration of finding.migrations ?? []) {
      if (!include.has(migration.risk ?? 'review')) continue;
      if (seen.has(migration.name)) continue;
      seen.add(migration.name);
      plan.push({ findingId: finding.id, rule: finding.rule, migration });
    }
  }
  // Reports first, then every cleanup and dedupe, then the rest in report order.
  return withoutCoveredIndexes(plan).map((p, i) => ({ p, i })).sort((a, b) => phaseOf(a.p) - phaseOf(b.p) || a.i - b.i).map((x) => x.p);
}

/** A key without its sort direction: for lookups, (a DESC) serves what (a) does. */
const bare = (key: string): string => key.replace(/\s+(DESC|ASC)$/i, '');

/** Does index step `big` serve every lookup `small` would (same table and predicate, small's keys leading big's)? */
function covers(big: NonNullable<Migration['index']>, small: NonNullable<Migration['index']>): boolean {
  if (big.schema !== small.schema || big.table !== small.table || big.where !== small.where) return false;
  if (small.unique || big.keys.length < small.keys.length) return false;
  return small.keys.every((k, i) => bare(k) === bare(big.keys[i]!));
}

/**
 * Leave out an index build that another planned one covers: the foreign-key index on (member_id) next to the
 * advisor's (member_id, status), a plain (token) next to the unique (token). Two indexes would be a redundant-index
 * finding the next scan reports, and the planner would use only one. Unique builds always stay: they enforce.
 */
export function withoutCoveredIndexes(plan: readonly PlannedMigration[]): PlannedMigration[] {
  const builds = plan.filter((p) => p.migration.index);
  return plan.filter((p, i) => {
    const small = p.migration.index;
    if (!small) return true;
    return !builds.some((other) => {
      const big = other.migration.index!;
      if (other === p || !covers(big, small)) return false;
      // Equal non-unique keys: keep the first one planned.
      return big.keys.length > small.keys.length || big.unique || plan.indexOf(other) < i;
    });
  });
}
