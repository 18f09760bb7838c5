import type { CollectContext } from './context.js';
import type { Routine, UserFunction, ViewFacts } from '../model/snapshot.js';

/**
 * Functions anyone but the system and extensions wrote that the planner may run while planning: IMMUTABLE ones
 * are folded when their arguments are constants, STABLE ones evaluated for estimates. The index advisor does not
 * plan a statement that calls one (src/whatif/run-advisor.ts): planning would run its code as pgrescue's role.
 */
export async function collectUserFunctions(ctx: CollectContext): Promise<UserFunction[]> {
  return ctx.session.query<UserFunction>(
    `SELECT n.nspname::text AS schema, p.proname::text AS name, p.provolatile::text AS volatility
     FROM pg_proc p
     JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND p.provolatile IN ('i', 's')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
     ORDER BY 1, 2`,
  );
}

/**
 * The app's functions and procedures (not the system's, not extensions'), as facts only: the body is read on the
 * server and never leaves it; what comes back is whether it reads the signed-in identity and the names it calls.
 */
export async function collectRoutines(ctx: CollectContext): Promise<Routine[]> {
  return ctx.session.query<Routine>(
    `SELECT n.nspname::text AS schema, p.proname::text AS name, l.lanname::text AS language, p.prosecdef AS "securityDefiner",
            coalesce(p.prosrc ~* '(auth\\.(uid|jwt|role)\\s*\\(|current_setting\\s*\\(|current_user|session_user|request\\.jwt)', false) AS "readsIdentity",
            coalesce(array(SELECT DISTINCT lower(m[1]) FROM regexp_matches(coalesce(p.prosrc, ''), '([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)?)\\s*\\(', 'g') AS m LIMIT 30), '{}')::text[] AS calls,
            EXISTS (SELECT 1 FROM unnest(coalesce(p.proconfig, '{}'::text[])) c WHERE c LIKE 'search_path=%') AS "searchPathSet",
            array(SELECT r.rolname::text FROM pg_roles r WHERE r.rolname IN ('anon', 'authenticated') AND has_function_privilege(r.oid, p.oid, 'EXECUTE') ORDER BY 1)::text[] AS "executableByApi"
     FROM pg_proc p
     JOIN pg_namespace n ON n.oid = p.pronamespace
     JOIN pg_language l ON l.oid = p.prolang
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND p.prokind IN ('f', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
     ORDER BY 1, 2
     LIMIT 5000`,
  );
}

/** The app's views: whose rights they read with (security_invoker, PostgreSQL 15+), and who may read them. */
export async function collectViews(ctx: CollectContext): Promise<ViewFacts[]> {
  return ctx.session.query<ViewFacts>(
    `SELECT n.nspname::text AS schema, c.relname::text AS name, r.rolname::text AS owner,
            coalesce(c.reloptions::text[] @> ARRAY['security_invoker=true'] OR c.reloptions::text[] @> ARRAY['security_invoker=on'], false) AS "securityInvoker",
            (r.rolsuper OR r.rolbypassrls) AS "ownerBypassesRls",
            array(SELECT a.rolname::text FROM pg_roles a WHERE a.rolname IN ('anon', 'authenticated') AND has_table_privilege(a.oid, c.oid, 'SELECT') ORDER BY 1)::text[] AS "readableByApi"
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_roles r ON r.oid = c.relowner
     WHERE c.relkind IN ('v', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
     ORDER BY 1, 2
     LIMIT 5000`,
  );
}
