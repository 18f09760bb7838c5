import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';

export default defineAnalyzer(
  {
    id: 'rls-no-policy',
    title: 'Row-level security enabled without a policy',
    category: 'security',
    defaultSeverity: 'info',
    requires: [],
    fixable: false,
    description: 'RLS is on and no policy exists: every role it applies to sees no rows and can change none (a broken feature, or a deliberate deny-all).',
  },
  ({ snapshot, catalog }) => {
    const findings: FindingDraft[] = [];
    for (const table of snapshot.tables) {
      if (!table.rlsEnabled || table.isPartition) continue;
      if (catalog.policiesOf(table.schema, table.name).length > 0) continue;
      findings.push({
        severity: 'info',
        message: `${table.schema}.${table.name} has row-level security enabled and no policy: every query by a role it applies to returns no rows and every write fails (only the owner${table.rlsForced ? ' — not even the owner, it is FORCEd —' : ''}, superusers and BYPASSRLS roles see rows). Fine for a deny-all table; a broken feature otherwise.`,
        object: { schema: table.schema, table: table.name },
        evidence: { rlsForced: table.rlsForced, owner: table.owner },
        remediation: 'Add the policies the app needs (CREATE POLICY … USING (owner_id = …)), or leave it as a deliberate deny-all and ignore this finding.',
      });
    }
    return findings;
  },
);
