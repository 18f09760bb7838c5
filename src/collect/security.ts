import type { CollectContext } from './context.js';
import type { Grant, Policy, Role } from '../model/snapshot.js';

const COMMANDS: Record<string, Policy['command']> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

/** Row-level security policies: command, roles, permissive or restrictive, USING and WITH CHECK. */
export async function collectPolicies(ctx: CollectContext): Promise<Policy[]> {
  const rows = await ctx.session.query<{
    schema: string;
    table: string;
    name: string;
    cmd: string;
    roles: string[];
    permissive: boolean;
    using: string | null;
    with_check: string | null;
  }>(
    `
    SELECT n.nspname AS schema, c.relname AS table, p.polname AS name, p.polcmd::text AS cmd,
           ARRAY(SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(r)::text END FROM unnest(p.polroles) AS r) AS roles,
           p.polpermissive AS permissive,
           pg_get_expr(p.polqual, p.polrelid) AS using,
           pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
    FROM pg_policy p
    JOIN pg_class c ON c.oid = p.polrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1::text[])
    ORDER BY n.nspname, c.relname, p.polname`,
    [ctx.schemas],
  );
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: r.name,
    command: COMMANDS[r.cmd] ?? 'ALL',
    roles: r.roles,
    permissive: r.permissive,
    using: r.using,
    withCheck: r.with_check,
  }));
}

/** Roles with the attributes that decide whether RLS applies to them. */
export async function collectRoles(ctx: CollectContext): Promise<Role[]> {
  const rows = await ctx.session.query<{ name: string; superuser: boolean; bypass_rls: boolean; login: boolean; member_of: string[] }>(`
    SELECT r.rolname::text AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls, r.rolcanlogin AS login,
           ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid WHERE m.member = r.oid) AS member_of
    FROM pg_roles r
    WHERE r.rolname NOT LIKE 'pg\\_%'
    ORDER BY r.rolname`);
  return rows.map((r) => ({ name: r.name, superuser: r.superuser, bypassRls: r.bypass_rls, login: r.login, memberOf: r.member_of }));
}

/** Table privileges from the ACLs, including those granted to PUBLIC. */
export async function collectGrants(ctx: CollectContext): Promise<Grant[]> {
  return ctx.session.query<Grant>(
    `
    SELECT n.nspname AS schema, c.relname AS table,
           CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(acl.grantee)::text END AS grantee,
           acl.privilege_type AS privilege
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL aclexplode(c.relacl) AS acl
    WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname = ANY($1::text[]) AND c.relacl IS NOT NULL
      AND acl.grantee <> c.relowner
    ORDER BY 1, 2, 3, 4`,
    [ctx.schemas],
  );
}
