import { plural } from '../../src/derive/format.js';
import { candidateSpec, keyLabel } from '../../src/migrate/index-candidate.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { findingId } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { formatBytes } from '../../src/derive/units.js';
import { round, statementRef } from '../../src/derive/workload.js';
import { createIndexMigration } from '../../src/migrate/recipes.js';
import { formatMs, formatWindow } from '../../src/derive/format.js';
import { DEFAULT_ADVISOR_OPTIONS } from '../../src/advisor/options.js';
import { qualified } from '../../src/sql/quote.js';

/** The stable id of the finding for a chosen index; slow-query links to it. */
export function missingIndexId(c: { schema: string; table: string; keys: readonly { column: string; desc: boolean }[]; where: string | null }): string {
  const keys = c.keys.map((k) => `${k.column}${k.desc ? ' desc' : ''}`).join(',');
  return findingId('missing-index', c, c.where ? `${keys} where ${c.where}` : keys);
}

export default defineAnalyzer(
  {
    id: 'missing-index',
    title: 'Missing index',
    category: 'performance',
    defaultSeverity: 'high',
    requires: ['statements'],
    fixable: true,
    description: 'An index the workload needs, chosen across all statements and proven with the planner (HypoPG), ranked by time saved.',
    // Read by the what-if advisor (src/advisor/options.ts) when it runs, declared here so the config is checked.
    options: {
      minTimeShare: { default: DEFAULT_ADVISOR_OPTIONS.minTimeShare, description: "a statement's smallest share of total time to be considered" },
      minCalls: { default: DEFAULT_ADVISOR_OPTIONS.minCalls, description: 'fewest calls to be considered (or a mean of minMeanMs)' },
      minMeanMs: { default: DEFAULT_ADVISOR_OPTIONS.minMeanMs, description: 'a statement this slow on average is considered whatever its calls' },
      minTableRows: { default: DEFAULT_ADVISOR_OPTIONS.minTableRows, description: 'smaller tables are skipped: a scan is already cheap' },
      minCostReduction: { default: DEFAULT_ADVISOR_OPTIONS.minCostReduction, description: "smallest cut of a statement's planner cost for a candidate to be kept" },
      maxKeyColumns: { default: DEFAULT_ADVISOR_OPTIONS.maxKeyColumns, description: 'most key columns in a suggested index' },
      writeCostMs: { default: DEFAULT_ADVISOR_OPTIONS.writeCostMs, description: 'estimated ms to maintain one index entry per written row' },
      minSavedShare: { default: DEFAULT_ADVISOR_OPTIONS.minSavedShare, description: "smallest share of the window's recurring database time an index must save" },
      maxWhatIfPlans: { default: DEFAULT_ADVISOR_OPTIONS.maxWhatIfPlans, description: 'most what-if plans the choice may ask for; past it, it chooses from the costs already known and says so' },
    },
  },
  ({ snapshot, workload, scan }) => {
    const advisor = snapshot.advisor;
    if (!advisor) return [];
    const verified = advisor.engine === 'hypopg';
    const byId = new Map(snapshot.statements.map((s) => [s.queryid, s]));
    const workloadPerDay = workload.totalMs / Math.max(advisor.statsAgeDays, 1 / 1440);
    const findings: FindingDraft[] = [];
    for (const chosen of advisor.chosen) {
      const c = chosen.candidate;
      const stats = chosen.statements.map((s) => byId.get(s.queryid)).filter((s) => s !== undefined);
      const share = verified ? chosen.savedMsPerDay / Math.max(workloadPerDay, 1e-9) : stats.reduce((sum, s) => sum + s.totalMs, 0) / Math.max(workload.totalMs, 1e-9);
      let severity: Severity = share >= 0.1 ? 'high' : share >= 0.01 ? 'medium' : 'low';
      if (!verified && severity === 'high') severity = 'medium';
      const spec = candidateSpec(c);
      const perStatement = chosen.statements.map((s) => ({
        queryid: s.queryid,
        costBefore: round(s.costBefore, 2),
        costAfter: round(s.costAfter, 2),
        reductionPct: s.costBefore > 0 ? Math.round((100 * (s.costBefore - s.costAfter)) / s.costBefore) : 0,
      }));
      const where = c.where ? ` WHERE ${c.where}` : '';
      const best = perStatement.reduce((m, s) => Math.max(m, s.reductionPct), 0);
      findings.push({
        id: missingIndexId(c),
        severity,
        message: verified
          ? `An index on ${c.schema}.${c.table}(${keyLabel(c)})${where} serves ${plural(chosen.statements.length, 'statement')}${chosen.withIndexes?.length ? ` together with ${chosen.withIndexes.join(', ')}` : ''}: the planner's cost drops by up to ${best}%${chosen.customPlan ? ' (with representative values: custom plans)' : ''}. ${savedText(chosen, advisor.window?.minutes ?? advisor.statsAgeDays * 1440)}, for ${formatBytes(chosen.estimatedBytes)} and ${formatMs(chosen.writeOverheadMsInWindow ?? chosen.writeOverheadMsPerDay)} of write overhead in the same window.`
          : `An index on ${c.schema}.${c.table}(${keyLabel(c)})${where} would serve ${plural(chosen.statements.length, 'statement')} (${Math.round(share * 100)}% of database time), about ${formatBytes(chosen.estimatedBytes)}. Unverified: HypoPG is not installed, so the planner has not proven it.`,
        object: { schema: c.schema, table: c.table, columns: c.keys.filter((k) => !k.expression).map((k) => k.column), ...(c.keys.some((k) => k.expression) ? { expression: keyLabel(c) } : {}) },
        statements: stats.map(statementRef),
        evidence: {
          verified,
          engine: advisor.engine,
          definition: `CREATE INDEX ON ${qualified(c.schema, c.table)} (${spec.keys.join(', ')})${where}`,
          perStatement: verified ? perStatement.map((s) => ({ ...s })) : [],
          estimatedBytes: chosen.estimatedBytes,
          savedMsPerDay: verified ? Math.round(chosen.savedMsPerDay) : null,
          writesPerDay: Math.round(chosen.writesPerDay),
          writeOverheadMsPerDay: round(chosen.writeOverheadMsPerDay, 1),
          statsAgeDays: round(advisor.statsAgeDays, 2),
          windowMinutes: round(advisor.window?.minutes ?? advisor.statsAgeDays * 1440, 1),
          savedMsInWindow: verified && chosen.savedMsInWindow !== undefined ? round(chosen.savedMsInWindow, 1) : null,
          writeOverheadMsInWindow: chosen.writeOverheadMsInWindow !== undefined ? round(chosen.writeOverheadMsInWindow, 1) : null,
          customPlan: chosen.customPlan ?? false,
          chosenWith: chosen.withIndexes ?? [],
        },
        remediation: `Create the index concurrently${verified ? '' : ' (install HypoPG and re-scan to have it proven first)'}.`,
        migrations: [createIndexMigration(spec, `Index for ${plural(chosen.statements.length, 'statement')} on ${c.schema}.${c.table}: ${keyLabel(c)}${where}.`)],
      });
    }
    return findings.sort((a, b) => Number(b.evidence.savedMsPerDay ?? 0) - Number(a.evidence.savedMsPerDay ?? 0));
  },
);

/** Time saved over the window the advice was measured on; the per-day figure only as an extrapolation. */
function savedText(chosen: { savedMsInWindow?: number; savedMsPerDay: number }, minutes: number): string {
  if (chosen.savedMsInWindow === undefined) return `It saves about ${formatMs(chosen.savedMsPerDay)} of database time per day`;
  const window = formatWindow(minutes);
  const perDay = minutes < 1440 ? ` (about ${formatMs(chosen.savedMsPerDay)}/day if that traffic is typical)` : '';
  return `It saves about ${formatMs(chosen.savedMsInWindow)} of database time over the ${window} of pg_stat_statements history measured${perDay}`;
}
