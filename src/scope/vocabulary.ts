import type { Table } from '../model/snapshot.js';
import type { Catalog } from '../derive/catalog.js';
import { namePattern, snakeName } from '../sql/identifier.js';

// The naming conventions of membership apps that several rules rely on, in one place: which tables hold the
// members, which columns say whose row it is or who wrote it, which hold secrets or personal data, and which
// table a `<name>_id` column points at when no foreign key says so.

/** Tables whose rows are the members (or accounts) themselves. */
export const IDENTITY_TABLES: ReadonlySet<string> = new Set(['users', 'accounts', 'members', 'profiles', 'customers', 'people', 'persons', 'user', 'account', 'member', 'profile', 'person']);

export function isIdentityTable(t: Pick<Table, 'schema' | 'name'>): boolean {
  return IDENTITY_TABLES.has(snakeName(t.name)) || (t.schema === 'auth' && t.name === 'users');
}

/** Columns that say whose row it is: reads and writes must be limited by them. */
export const OWNER_COLUMN = namePattern(/^(user|account|member|owner|tenant|org|organization|organisation|customer|profile|person|workspace)_id$/);

/**
 * Owner columns that name a tenant (an organization, a workspace), not the member: the member reaches the
 * tenant's rows through a membership table; comparing them with the member's id is never right.
 */
export const TENANT_COLUMN = namePattern(/^(tenant|org|organization|organisation|workspace|team|company)_id$/);

/** Identity tables that are the people who sign in: when one exists, customers/people/profiles are data they own. */
const SIGN_IN_NAMES = new Set(['users', 'user', 'members', 'member', 'accounts', 'account']);

/**
 * The identity tables members sign in as, per schema: users/members/accounts (and Supabase's auth.users) when
 * present; otherwise the weaker names (customers, profiles, people). A billing app's customers are not its users.
 */
export function signInTables(catalog: Catalog): ReadonlySet<Table> {
  return catalog.derived(SIGN_IN, () => {
    const identity = catalog.snapshot.tables.filter((t) => isIdentityTable(t));
    const strong = identity.filter((t) => SIGN_IN_NAMES.has(t.name) || (t.schema === 'auth' && t.name === 'users'));
    const strongSchemas = new Set(strong.map((t) => t.schema));
    const supabase = strong.some((t) => t.schema === 'auth');
    return new Set(identity.filter((t) => strong.includes(t) || (!strongSchemas.has(t.schema) && !supabase)));
  });
}

const SIGN_IN = Symbol('sign-in tables');

/** Columns that say who wrote or sent a row: others may read it, only that person may change it. */
export const AUTHOR_COLUMN = namePattern(/^(author|creator|created_by|creator_id|created_by_id|author_id|invited_by|posted_by|sender_id|updated_by|recipient)(_id)?$/);

/** Columns that hold credentials. */
export const SECRET_COLUMN = namePattern(/(password|passwd|pass_hash|secret|token|api_?key|private_key|access_key|signing_key|encryption_key|hmac_key|otp|salt)/);

/** Columns that hold personal or payment data. */
export const PERSONAL_COLUMN = namePattern(/(email|phone|address|birth|ssn|iban|card|amount|balance|stripe|payment|invoice|salary)/);

/** Tables that are payment data by their name alone. */
export const PAYMENT_TABLE = namePattern(/^(payments?|invoices?|billing|subscriptions?|charges?|orders?)$/);

/** "post" → posts, "category" → categories, "person" as is: the plural forms app schemas use. */
export function pluralForms(singular: string): string[] {
  const forms = [singular, `${singular}s`, `${singular}es`];
  if (singular.endsWith('y')) forms.push(`${singular.slice(0, -1)}ies`);
  return forms;
}

/** `post_id` on a table without a foreign key: the table it names (posts), when exactly one matches. */
export function tableForKeyColumn(catalog: Catalog, on: Table, column: string): Table | undefined {
  const m = /^(.+)_id$/.exec(snakeName(column));
  if (!m) return undefined;
  const found = pluralForms(m[1]!).flatMap((name) => catalog.tablesNamedWords(name)).filter((t) => t !== on && catalog.column(t, 'id') !== undefined);
  const sameSchema = found.filter((t) => t.schema === on.schema);
  return sameSchema.length === 1 ? sameSchema[0] : found.length === 1 ? found[0] : undefined;
}

/** Tables with a `<singular>_id` column naming this one, when no foreign key says so. */
export function tablesReferencingByName(catalog: Catalog, target: Table): readonly Table[] {
  return catalog.derived(REFERENCING_BY_NAME, () => {
    const byTarget = new Map<Table, Table[]>();
    for (const t of catalog.snapshot.tables) {
      for (const c of t.columns) {
        const named = tableForKeyColumn(catalog, t, c.name);
        if (!named) continue;
        const list = byTarget.get(named) ?? [];
        if (!list.includes(t)) list.push(t);
        byTarget.set(named, list);
      }
    }
    return byTarget;
  }).get(target) ?? [];
}

const REFERENCING_BY_NAME = Symbol('tables referencing by name');

/** Whether `word` appears in `text` as a whole identifier (the name is data: matched literally, never as a pattern). */
export function mentionsWord(text: string, word: string): boolean {
  const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_$]/u.test(ch);
  for (let at = text.indexOf(word); at !== -1 && word.length > 0; at = text.indexOf(word, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + word.length])) return true;
  }
  return false;
}
