import { plural } from '../../src/derive/format.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { rlsMigrations } from '../../src/migrate/rls.js';
import { scopedForWrites } from '../../src/scope/ownership.js';
import { apiRolesPresent, appRoles } from '../../src/scope/rls.js';

/** Schemas a platform manages itself (Supabase), never exposed through its API. */
const MANAGED_SCHEMAS = new Set(['auth', 'storage', 'extensions', 'graphql', 'graphql_public', 'realtime', 'supabase_functions', 'vault', 'pgsodium', 'net', 'cron']);

export default defineAnalyzer(
  {
    id: 'rls-missing',
    title: 'Owner-scoped table without row-level security',
    category: 'security',
    defaultSeverity: 'low',
    requires: [],
    fixable: true,
    description: 'A table whose rows belong to members has no row-level security: one missed WHERE in the app exposes every member\'s rows.',
  },
  ({ snapshot, config, scan, ownership, catalog }) => {
    const api = apiRolesPresent(snapshot);
    const roles = appRoles(snapshot, config.appRole).filter((r) => !catalog.role(r)?.superuser);
    const findings: FindingDraft[] = [];
    for (const table of snapshot.tables) {
      if (table.isPartition || table.rlsEnabled || MANAGED_SCHEMAS.has(table.schema)) continue;
      const own = ownership.get(`${table.schema}.${table.name}`);
      if (!scopedForWrites(own) || !own) continue;
      const exposedTo = api.filter((role) => catalog.grantsOn(table.schema, table.name).some((g) => g.grantee === role || g.grantee === 'PUBLIC'));
      const how = own.ownerColumns.length > 0 ? own.ownerColumns.map((c) => `${c.column} (${c.source})`).join(', ') : `${own.paths[0]!.column} → ${own.paths[0]!.through.join(' → ')}.${own.paths[0]!.ownerColumn}`;
      findings.push({
        severity: exposedTo.length > 0 ? 'critical' : own.sensitive ? 'medium' : 'low',
        message:
          exposedTo.length > 0
            ? `${table.schema}.${table.name} belongs to members (${how}) and is granted to the API ${exposedTo.length === 1 ? 'role' : 'roles'} ${exposedTo.join(', ')} with no row-level security: anyone with the public API key can read every member's rows.`
            : `${table.schema}.${table.name} belongs to members (${how}) but has no row-level security: a single query in the app that forgets the owner filter exposes every member's rows. Defence in depth.`,
        object: { schema: table.schema, table: table.name, columns: own.ownerColumns.map((c) => c.column) },
        evidence: {
          ownerColumns: own.ownerColumns.map((c) => `${c.column}: ${c.kind}, ${c.source}`),
          ownerPath: own.paths[0] ? [own.paths[0].column, ...own.paths[0].through, own.paths[0].ownerColumn] : [],
          exposedToApiRoles: exposedTo,
          sensitive: own.sensitive,
        },
        remediation: `Enable and force row-level security with an owner policy on ${own.ownerColumns[0]?.column ?? own.paths[0]?.column}, in one transaction (ENABLE without a policy denies everything).`,
        migrations: rlsMigrations(scan, table, own, exposedTo.includes('authenticated') ? 'authenticated' : roles[0] ?? null, ownership),
      });
    }
    return findings;
  },
);
