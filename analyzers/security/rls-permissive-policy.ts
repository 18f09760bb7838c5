import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { scopedForWrites } from '../../src/scope/ownership.js';
import { API_ROLES, appRoles } from '../../src/scope/rls.js';
import { checksIdentityThroughFunctions } from '../../src/scope/routines.js';
import { mentionsWord } from '../../src/scope/vocabulary.js';

const ALWAYS_TRUE = /^\(?\s*true\s*\)?$/i;
/** Per-row calls of identity functions: auth.uid(), auth.jwt(), current_setting(…) not wrapped in a subquery. */
const PER_ROW_CALL = /(auth\.(uid|jwt|role)\(\)|current_setting\([^)]*\))/;

export default defineAnalyzer(
  {
    id: 'rls-permissive-policy',
    title: 'Permissive row-level security policy',
    category: 'security',
    defaultSeverity: 'high',
    requires: [],
    fixable: false,
    description: 'A permissive policy that lets a broad role see or change every row (USING true, or no test of the owner column), or that calls auth.uid() per row instead of once.',
  },
  ({ snapshot, config, ownership }) => {
    const broad = new Set(['PUBLIC', ...API_ROLES, ...appRoles(snapshot, config.appRole)]);
    const findings: FindingDraft[] = [];
    for (const p of snapshot.policies) {
      const own = ownership.get(`${p.schema}.${p.table}`);
      if (!p.permissive || !scopedForWrites(own) || !own) continue;
      if (!p.roles.some((r) => broad.has(r))) continue;
      const columns = [...own.ownerColumns.map((c) => c.column), ...own.paths.map((x) => x.column)];
      const texts = [p.using, p.withCheck].filter((x): x is string => x !== null);
      const alwaysTrue = texts.some((x) => ALWAYS_TRUE.test(x.trim()));
      // Membership checked in the app's own function (basejump's has_role_on_account(id), whose body compares
      // account_user.user_id = auth.uid()) scopes rows to the member as much as an owner column does.
      const testsOwner = texts.some((x) => columns.some((c) => mentionsWord(x, c)) || checksIdentityThroughFunctions(x, snapshot));
      const authorRead = p.command === 'SELECT' && own.ownerColumns.every((c) => c.kind === 'author') && own.paths.every((x) => x.kind === 'author');
      if ((alwaysTrue || !testsOwner) && !authorRead && !config.publicTables?.includes(p.table)) {
        const writes = p.command !== 'SELECT';
        const severity: Severity = writes ? 'high' : own.sensitive ? 'high' : 'medium';
        findings.push({
          key: p.name,
          severity,
          message: `Policy ${p.name} on ${p.schema}.${p.table} (${p.command}, to ${p.roles.join(', ')}) ${alwaysTrue ? 'is USING (true)' : `does not test the owner column (${columns.join(', ')})`}: every one of those roles can ${p.command === 'INSERT' ? 'insert rows owned by any member' : writes ? 'change' : 'read'}${p.command === 'INSERT' ? '' : " every member's rows"}, and permissive policies are OR-ed, so it overrides the others.`,
          object: { schema: p.schema, table: p.table, policy: p.name },
          evidence: { command: p.command, roles: [...p.roles], using: p.using, withCheck: p.withCheck, ownerColumns: columns },
          remediation: `Restrict ${p.name} to the owner: USING (${columns[0] ?? 'owner_id'} = <current member>), or make it RESTRICTIVE, or drop it.`,
        });
        continue;
      }
      const perRow = texts.find((x) => PER_ROW_CALL.test(x) && !/\(\s*select\s+(auth\.|current_setting)/i.test(x));
      if (perRow) {
        findings.push({
          key: `${p.name}:per-row-call`,
          severity: 'low',
          message: `Policy ${p.name} on ${p.schema}.${p.table} calls ${PER_ROW_CALL.exec(perRow)?.[1]} for every row it checks: on large tables this makes every query slow. Wrapped in a subquery it runs once per statement (an initplan).`,
          object: { schema: p.schema, table: p.table, policy: p.name },
          evidence: { expression: perRow },
          remediation: `Write (select ${PER_ROW_CALL.exec(perRow)?.[1]}) instead of ${PER_ROW_CALL.exec(perRow)?.[1]} in the policy.`,
        });
      }
    }
    return findings;
  },
);
