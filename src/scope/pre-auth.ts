import type { Table } from '../model/snapshot.js';
import type { Catalog } from '../derive/catalog.js';
import type { StatementShape } from '../sql/shape.js';
import { isIdentityTable } from './vocabulary.js';
import { namePattern } from '../sql/identifier.js';

/** What a visitor holds before signing in, on the member table: an email, a user name, a phone number. */
const SIGN_IN_COLUMN = namePattern(/^(e?mail|email_address|username|user_name|login|handle|phone|phone_number)$/);

/** What a link or a device holds before signing in, on any table: a session, invite, reset or API token. */
const TOKEN_COLUMN = namePattern(/(^|_)(token|token_hash|code|otp|nonce|key_hash|secret_hash)$/);

/** Operands a request binds (a parameter or a constant), as opposed to a column or a subquery. */
const BOUND = new Set(['param', 'const']);

/**
 * A lookup that runs before anyone is signed in — login by email, a session, invite or password-reset token — so
 * it cannot be scoped to the current member: one row of a table found by a unique key that the visitor holds.
 * Such a statement is no IDOR, and a row-level security policy would hide its row: it needs a SECURITY DEFINER
 * function (or a role of its own) instead.
 */
export function preAuthLookup(shape: StatementShape, ref: number, table: Table, catalog: Catalog): { column: string } | null {
  if (shape.kind !== 'select') return null;
  for (const p of shape.predicates) {
    if (p.tableId !== ref || p.inOr || p.op !== '=' || !BOUND.has(p.operand)) continue;
    // Signing in by email or user name on the member table is a pre-auth lookup whether or not a unique index
    // exists yet (its absence is missing-unique's finding); a token anywhere else needs one, or a name that says token.
    if (isIdentityTable(table) && SIGN_IN_COLUMN.test(p.column)) return { column: p.column };
    if (!TOKEN_COLUMN.test(p.column)) continue;
    const unique = catalog.indexesOf(table.schema, table.name).some(
      (ix) => ix.unique && ix.valid && ix.keyColumns.length === 1 && (ix.keyColumns[0] === p.column || (ix.keyColumns[0] === null && ix.expressions[0] === p.expression)),
    );
    if (unique || /token/i.test(p.column)) return { column: p.column };
  }
  return null;
}
