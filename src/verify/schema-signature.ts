import type { ScratchConnection } from '../db/scratch.js';

/**
 * Every user-visible schema object as one line of text, sorted: relations (with their RLS flags), columns (type,
 * NOT NULL, default), indexes (definition, validity), constraints (definition, validated), policies and table
 * privileges. Two signatures that are equal mean the downs put the schema back.
 */
const SIGNATURE = `
WITH rel AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.relacl
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'i', 'I')
     AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
)
SELECT line FROM (
  SELECT format('relation %I.%I kind=%s rls=%s force=%s acl=%s', nspname, relname, relkind, relrowsecurity, relforcerowsecurity, relacl::text) AS line FROM rel
  UNION ALL
  SELECT format('column %I.%I.%I %s notnull=%s default=%s', r.nspname, r.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid))
    FROM rel r JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE r.relkind IN ('r', 'p', 'v', 'm')
  UNION ALL
  SELECT format('index %s valid=%s', pg_get_indexdef(i.indexrelid), i.indisvalid) FROM pg_index i JOIN rel r ON r.oid = i.indrelid
  UNION ALL
  SELECT format('constraint %I.%I %I %s validated=%s', r.nspname, r.relname, k.conname, pg_get_constraintdef(k.oid), k.convalidated)
    FROM pg_constraint k JOIN rel r ON r.oid = k.conrelid
  UNION ALL
  SELECT format('policy %I.%I %I %s %s roles=%s using=%s check=%s', r.nspname, r.relname, p.polname, p.polcmd, p.polpermissive, p.polroles::text, pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
    FROM pg_policy p JOIN rel r ON r.oid = p.polrelid
) lines ORDER BY line`;

export async function schemaSignature(client: ScratchConnection): Promise<string[]> {
  return (await client.query<{ line: string }>(SIGNATURE)).map((r) => r.line);
}

/** Lines only in one signature or the other: what the downs left behind (+) or did not restore (−). */
export function signatureDiff(before: readonly string[], after: readonly string[]): string[] {
  const a = new Set(before);
  const b = new Set(after);
  return [...before.filter((l) => !b.has(l)).map((l) => `missing: ${l}`), ...after.filter((l) => !a.has(l)).map((l) => `left behind: ${l}`)];
}
