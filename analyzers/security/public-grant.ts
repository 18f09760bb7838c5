import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { qualified, quoteIdent } from '../../src/sql/quote.js';
import { inTransaction } from '../../src/migrate/transaction.js';
import { API_ROLES } from '../../src/scope/rls.js';
import { SECRET_COLUMN } from '../../src/scope/vocabulary.js';


export default defineAnalyzer(
  {
    id: 'public-grant',
    title: 'Table with personal or secret data granted too widely',
    category: 'security',
    defaultSeverity: 'high',
    requires: [],
    fixable: true,
    description: 'Privileges on a table with personal or secret columns granted to PUBLIC, or to API roles (anon, authenticated) without row-level security.',
  },
  ({ snapshot, config, ownership, catalog }) => {
    const findings: FindingDraft[] = [];
    for (const table of snapshot.tables) {
      const own = ownership.get(`${table.schema}.${table.name}`);
      const secrets = table.columns.filter((c) => SECRET_COLUMN.test(c.name)).map((c) => c.name);
      if (!own?.sensitive && secrets.length === 0) continue;
      if (own?.public) continue;
      const grants = catalog.grantsOn(table.schema, table.name).filter((g) => (g.grantee === 'PUBLIC' || (API_ROLES.includes(g.grantee) && !table.rlsEnabled)));
      const byGrantee = new Map<string, string[]>();
      for (const g of grants) byGrantee.set(g.grantee, [...(byGrantee.get(g.grantee) ?? []), g.privilege]);
      for (const [grantee, privileges] of byGrantee) {
        const t = qualified(table.schema, table.name);
        const who = grantee === 'PUBLIC' ? 'PUBLIC' : quoteIdent(grantee);
        findings.push({
          key: grantee,
          severity: secrets.length > 0 || grantee === 'anon' || grantee === 'PUBLIC' ? 'critical' : 'high',
          message: `${table.schema}.${table.name} holds ${secrets.length > 0 ? `secret columns (${secrets.join(', ')})` : 'personal or payment data'} and ${grantee === 'PUBLIC' ? 'grants' : `grants ${grantee} (with no row-level security)`} ${privileges.join(', ')}${grantee === 'PUBLIC' ? ' to PUBLIC: every role in the database, present and future, has it' : ': every API caller can use it on every row'}.`,
          object: { schema: table.schema, table: table.name, role: grantee },
          evidence: { grantee, privileges, secretColumns: secrets, rlsEnabled: table.rlsEnabled },
          remediation: `REVOKE ${privileges.join(', ')} ON ${table.name} FROM ${grantee}; grant only what the app role needs${grantee === 'PUBLIC' ? '' : ', and enable row-level security'}.`,
          migrations: [
            {
              risk: 'review',
              name: `revoke_${grantee.toLowerCase()}_on_${table.name}`,
              up: inTransaction(`Take ${privileges.join(', ')} on ${table.schema}.${table.name} back from ${grantee}.`, [`REVOKE ${privileges.join(', ')} ON ${t} FROM ${who};`]),
              down: inTransaction('Grant it again.', [`GRANT ${privileges.join(', ')} ON ${t} TO ${who};`]),
              transactional: true,
              lock: 'none',
            },
          ],
        });
      }
    }
    return findings;
  },
);
