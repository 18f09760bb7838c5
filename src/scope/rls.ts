import type { Role, Snapshot, Table } from '../model/snapshot.js';

export interface RlsVerdict {
  readonly applies: boolean;
  /** Why it does not apply to this role, in words; null when it applies. */
  readonly bypass: 'superuser' | 'bypassrls' | 'owner' | 'rls-off' | null;
}

/** Roles a role is, directly or through membership (for ownership through a group role). */
function roleClosure(snapshot: Snapshot, name: string): Set<string> {
  const byName = new Map(snapshot.roles.map((r) => [r.name, r]));
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const r = stack.pop()!;
    if (seen.has(r)) continue;
    seen.add(r);
    for (const parent of byName.get(r)?.memberOf ?? []) stack.push(parent);
  }
  return seen;
}

/** Does row-level security actually filter rows of `table` for `roleName`? The rules of the PostgreSQL docs. */
export function rlsFor(snapshot: Snapshot, table: Table, roleName: string): RlsVerdict {
  const role: Role | undefined = snapshot.roles.find((r) => r.name === roleName);
  if (!table.rlsEnabled) return { applies: false, bypass: 'rls-off' };
  if (role?.superuser) return { applies: false, bypass: 'superuser' };
  if (role?.bypassRls) return { applies: false, bypass: 'bypassrls' };
  if (!table.rlsForced && roleClosure(snapshot, roleName).has(table.owner)) return { applies: false, bypass: 'owner' };
  return { applies: true, bypass: null };
}

/** The roles the app runs as: the config's / --app-role, else every role seen in pg_stat_statements. */
export function appRoles(snapshot: Snapshot, configured: string | undefined): string[] {
  if (configured) return [configured];
  return [...new Set(snapshot.statements.map((s) => s.role).filter((r): r is string => !!r))];
}

/** Roles that an API layer uses for requests from the internet (Supabase / PostgREST). */
export const API_ROLES = ['anon', 'authenticated'];

export function apiRolesPresent(snapshot: Snapshot): string[] {
  return API_ROLES.filter((r) => snapshot.roles.some((x) => x.name === r));
}
