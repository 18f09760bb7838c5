import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';

/**
 * Supabase's splinter checks for the app's own functions, on facts the collector keeps (never a body):
 * a SECURITY DEFINER function without its own search_path runs with its owner's rights and resolves names
 * through the caller's search_path (a caller who creates `public.now()` or a table of the same name first takes
 * over); one that the API roles may EXECUTE is callable by anyone with the public key; any other function
 * without a fixed search_path resolves names differently per caller.
 */
export default defineAnalyzer(
  {
    id: 'function-security',
    title: 'Function with a mutable search_path or exposed with its owner\'s rights',
    category: 'security',
    defaultSeverity: 'medium',
    requires: [],
    fixable: false,
    description: 'SECURITY DEFINER functions without their own search_path or executable by the API roles (anon, authenticated), and functions whose search_path is not fixed (splinter\'s function checks).',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    for (const r of snapshot.routines ?? []) {
      const problems: string[] = [];
      let severity: Severity = 'low';
      if (r.securityDefiner && !r.searchPathSet) {
        problems.push(`it is SECURITY DEFINER (runs with its owner's rights) and has no search_path of its own, so the names in its body resolve through the caller's search_path: a caller who can create an object earlier on that path takes over what it runs`);
        severity = 'high';
      } else if (!r.securityDefiner && !r.searchPathSet) {
        problems.push('its search_path is not fixed: the names in its body resolve differently for each caller');
      }
      if (r.securityDefiner && r.executableByApi.length > 0) {
        problems.push(`it is SECURITY DEFINER and ${r.executableByApi.join(' and ')} may EXECUTE it: anyone with the public API key calls it with its owner's rights, around row-level security`);
        if (severity !== 'high') severity = 'medium';
      }
      if (problems.length === 0) continue;
      findings.push({
        key: r.name,
        severity,
        message: `Function ${r.schema}.${r.name}: ${problems.join('; and ')}.`,
        object: { schema: r.schema, table: r.name, routine: r.name },
        evidence: { language: r.language, securityDefiner: r.securityDefiner, searchPathSet: r.searchPathSet, executableByApi: [...r.executableByApi] },
        remediation: [
          ...(!r.searchPathSet ? [`ALTER FUNCTION ${r.schema}.${r.name}(…) SET search_path = '' (then qualify every name in its body), or = pg_catalog, ${r.schema}`] : []),
          ...(r.securityDefiner && r.executableByApi.length > 0 ? [`REVOKE EXECUTE ON FUNCTION ${r.schema}.${r.name}(…) FROM ${r.executableByApi.join(', ')}, PUBLIC unless the API must call it, and then check inside that the caller may do what it asks`] : []),
        ].join('; '),
      });
    }
    return findings;
  },
);
