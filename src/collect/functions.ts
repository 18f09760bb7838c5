import type { CollectContext } from './context.js';
import type { UserFunction } from '../model/snapshot.js';

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
