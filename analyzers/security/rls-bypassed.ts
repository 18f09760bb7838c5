import { plural } from '../../src/derive/format.js';
import { decisionTemplate } from '../../src/migrate/decision.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { qualified } from '../../src/sql/quote.js';
import { inTransaction } from '../../src/migrate/transaction.js';
import { appRoles, rlsFor } from '../../src/scope/rls.js';

const WHY = {
  owner: 'owns the table, and the table is not FORCE ROW LEVEL SECURITY',
  superuser: 'is a superuser',
  bypassrls: 'has BYPASSRLS',
} as const;

export default defineAnalyzer(
  {
    id: 'rls-bypassed',
    title: 'Row-level security bypassed by the app role',
    category: 'security',
    defaultSeverity: 'high',
    requires: [],
    fixable: true,
    description: 'RLS is enabled but the role the app connects as bypasses it: the table owner without FORCE, a superuser, or a BYPASSRLS role.',
  },
  ({ snapshot, config, catalog }) => {
    const roles = appRoles(snapshot, config.appRole);
    const findings: FindingDraft[] = [];
    for (const table of snapshot.tables) {
      if (!table.rlsEnabled || table.isPartition) continue;
      if (catalog.policiesOf(table.schema, table.name).length === 0) continue;
      for (const role of roles) {
        const verdict = rlsFor(snapshot, table, role);
        if (verdict.applies || verdict.bypass === 'rls-off' || verdict.bypass === null) continue;
        const seen = catalog.statementCount(role);
        const t = qualified(table.schema, table.name);
        findings.push({
          key: role,
          severity: 'high',
          message: `${table.schema}.${table.name} has row-level security, but the app's role "${role}" ${WHY[verdict.bypass]}: its policies never run for the app, so they protect nothing.`,
          object: { schema: table.schema, table: table.name, role },
          evidence: { role, bypass: verdict.bypass, tableOwner: table.owner, rlsForced: table.rlsForced, statementsByRole: seen, roleFrom: config.appRole ? 'config' : 'pg_stat_statements' },
          remediation:
            verdict.bypass === 'owner'
              ? `FORCE ROW LEVEL SECURITY on ${table.name} (and make the app set the member's id per transaction), or connect the app as a non-owner role.`
              : `Connect the app as a dedicated role without ${verdict.bypass === 'superuser' ? 'SUPERUSER' : 'BYPASSRLS'} (CREATE ROLE app_user LOGIN; GRANT the table privileges it needs).`,
          migrations:
            verdict.bypass === 'owner'
              ? [
                  {
                    risk: 'decision',
                    decision: `Should the policies of ${table.schema}.${table.name} apply to its owner role ${table.owner}, which the app connects as? Every statement the app runs as ${table.owner} then sees only the rows the policies allow.`,
                    name: `force_rls_${table.name}`,
                    up: decisionTemplate(
                      `Should the policies of ${table.schema}.${table.name} apply to its owner role ${table.owner}, which the app connects as? Every statement the app runs as ${table.owner} then sees only the rows the policies allow.`,
                      [`${plural(seen, 'captured statement')} ran as ${role}`],
                      inTransaction(`Make the policies on ${table.schema}.${table.name} apply to its owner ${table.owner} too.`, [`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;`]),
                    ),
                    down: inTransaction('Back to owner bypass.', [`ALTER TABLE ${t} NO FORCE ROW LEVEL SECURITY;`]),
                    transactional: true,
                    lock: 'ACCESS EXCLUSIVE',
                  },
                ]
              : undefined,
        });
      }
    }
    return findings;
  },
);
