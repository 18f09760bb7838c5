import type { Routine, Snapshot } from '../model/snapshot.js';

/** Function calls written in an expression: `has_role_on_account(`, `basejump.has_role_on_account(`. */
const CALL = /([A-Za-z_][A-Za-z0-9_]*(?:\s*\.\s*[A-Za-z_][A-Za-z0-9_]*)?)\s*\(/g;

function calledNames(text: string): string[] {
  return [...text.matchAll(CALL)].map((m) => m[1]!.replace(/\s+/g, '').toLowerCase());
}

/** The app's functions by name, plain and schema-qualified, lower case: built once per snapshot. */
const BY_NAME = new WeakMap<readonly Routine[], Map<string, Routine[]>>();

function routinesByName(routines: readonly Routine[]): Map<string, Routine[]> {
  let byName = BY_NAME.get(routines);
  if (!byName) {
    byName = new Map();
    for (const r of routines) {
      for (const key of [r.name.toLowerCase(), `${r.schema}.${r.name}`.toLowerCase()]) byName.set(key, [...(byName.get(key) ?? []), r]);
    }
    BY_NAME.set(routines, byName);
  }
  return byName;
}

/**
 * Whether an expression (a policy's USING or WITH CHECK) reaches the signed-in identity through the app's own
 * functions: `has_role_on_account(account_id)` whose body compares `account_user.user_id = auth.uid()`, followed
 * through helpers up to three calls deep. Such a policy does scope rows to the member, by membership.
 */
export function checksIdentityThroughFunctions(text: string, snapshot: Pick<Snapshot, 'routines'>): boolean {
  const routines = snapshot.routines ?? [];
  if (routines.length === 0) return false;
  const byName = routinesByName(routines);
  let frontier = calledNames(text);
  const seen = new Set<string>();
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const name of frontier) {
      if (seen.has(name)) continue;
      seen.add(name);
      for (const r of byName.get(name) ?? []) {
        if (r.readsIdentity) return true;
        next.push(...r.calls);
      }
    }
    frontier = next;
  }
  return false;
}
