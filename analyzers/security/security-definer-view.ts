import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';

/**
 * A view reads its tables with its owner's rights unless it is security_invoker (PostgreSQL 15+): when the owner
 * is a superuser or has BYPASSRLS (the usual case: migrations run as one), row-level security of every table
 * behind it is switched off for whoever may read the view (splinter's security_definer_view).
 */
export default defineAnalyzer(
  {
    id: 'security-definer-view',
    title: 'View that reads around row-level security',
    category: 'security',
    defaultSeverity: 'high',
    requires: [],
    fixable: false,
    description: 'A view owned by a superuser or BYPASSRLS role, without security_invoker: whoever may read it reads every row of the tables behind it, row-level security or not.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    for (const v of snapshot.views ?? []) {
      if (v.securityInvoker || !v.ownerBypassesRls) continue;
      const api = v.readableByApi.length > 0;
      findings.push({
        key: v.name,
        severity: api ? 'high' : 'low',
        message: `View ${v.schema}.${v.name} is owned by ${v.owner}, who bypasses row-level security, and is not security_invoker: ${api ? `${v.readableByApi.join(' and ')} may read it, so anyone with the public API key reads every row of the tables behind it` : 'whoever is granted it reads every row of the tables behind it, whatever their policies say'}.`,
        object: { schema: v.schema, table: v.name },
        evidence: { owner: v.owner, securityInvoker: v.securityInvoker, ownerBypassesRls: v.ownerBypassesRls, readableByApi: [...v.readableByApi] },
        remediation: `ALTER VIEW ${v.schema}.${v.name} SET (security_invoker = true) (PostgreSQL 15+: the caller's rights and policies apply), or REVOKE SELECT from the roles that must not read every row.`,
      });
    }
    return findings;
  },
);
