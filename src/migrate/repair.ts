import { plural } from '../derive/format.js';
import type { Migration, Risk } from '../model/finding.js';
import { decisionTemplate } from './decision.js';
import { keySql, objectName, qualified, quoteIdent, quoteLiteral } from '../sql/quote.js';
import type { KeyPart } from '../sql/quote.js';
import { createIndexMigration, LOCK_TIMEOUT } from './recipes.js';
import { inTransaction, nothingToUndo } from './transaction.js';
import { commentLine } from '../sql/comment.js';
import { dedupeBlock, dedupeEstimate } from './dedupe.js';
import type { DedupeSizes, KeepOrder, Referencing } from './dedupe.js';

interface Ref {
  readonly schema: string;
  readonly table: string;
}

function q(r: Ref): string {
  return qualified(r.schema, r.table);
}

function orphanWhere(child: Ref, column: string, parent: Ref, key: string): string {
  return `${quoteIdent(column)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ${q(parent)} p WHERE p.${quoteIdent(key)} = ${q(child)}.${quoteIdent(column)})`;
}

/**
 * Add a constraint without a long lock, in two files: ADD … NOT VALID (brief lock; new rows are checked), then
 * VALIDATE in its own transaction (existing rows, no write lock). Shared by foreign keys, CHECKs and NOT NULL.
 */
export function addConstraintNotValid(
  t: Ref,
  name: string,
  definition: string,
  step: string,
  why: { readonly add: string; readonly validate: string },
  risk: Risk,
): Migration[] {
  const n = quoteIdent(name);
  return [
    {
      risk,
      name: `add_${step}`,
      up: inTransaction(why.add, [`ALTER TABLE ${q(t)} DROP CONSTRAINT IF EXISTS ${n};`, `ALTER TABLE ${q(t)} ADD CONSTRAINT ${n} ${definition} NOT VALID;`]),
      down: inTransaction('Drop the constraint.', [`ALTER TABLE ${q(t)} DROP CONSTRAINT IF EXISTS ${n};`]),
      transactional: true,
      lock: definition.startsWith('FOREIGN KEY') ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE',
    },
    {
      risk,
      name: `validate_${step}`,
      up: inTransaction(why.validate, [`ALTER TABLE ${q(t)} VALIDATE CONSTRAINT ${n};`], '0'),
      down: nothingToUndo('Validation needs no undo.'),
      transactional: true,
      lock: 'SHARE UPDATE EXCLUSIVE',
    },
  ];
}

/** What a data check measured about the rows a constraint would reject: `exact` with 0 proves the step safe. */
export interface Measured {
  readonly violations: number | null;
  readonly exact: boolean;
}

/** Safe only when every row was checked and none would be rejected; else the step needs review. */
export function riskOf(measured: Measured): Risk {
  return measured.exact && measured.violations === 0 ? 'safe' : 'review';
}

/**
 * The foreign-key repair plan: the orphan report, a cleanup template (a decision: what an orphan means — delete
 * it, or null the reference when the column is nullable), the index, ADD CONSTRAINT … NOT VALID, then VALIDATE
 * (safe when the data check found no orphan among all rows).
 */
export function foreignKeyRepair(child: Ref, column: string, parent: Ref, key: string, nullable: boolean, indexed: boolean, orphans: Measured): Migration[] {
  const name = objectName([child.table, column], 'fkey');
  const where = orphanWhere(child, column, parent, key);
  const steps: Migration[] = [
    {
      risk: 'safe',
      name: `report_orphans_${child.table}_${column}`,
      up: `${commentLine(`Orphans: rows of ${child.schema}.${child.table} whose ${column} points at no ${parent.table} row. Read-only: run it to see the damage.`)}\nSELECT count(*) AS orphans FROM ${q(child)} WHERE ${where};\n`,
      down: nothingToUndo('The report changed nothing.'),
      transactional: true,
      lock: 'ACCESS SHARE',
    },
    {
      risk: 'decision',
      decision: `What does a ${child.table} row whose ${column} points at no ${parent.table} row mean: delete it${nullable ? ', or keep it and clear the reference' : ''}?`,
      name: `cleanup_orphans_${child.table}_${column}`,
      up: decisionTemplate(
        `What does a ${child.schema}.${child.table} row whose ${column} points at no ${parent.table} row mean: delete it${nullable ? ', or keep it and clear the reference' : ''}?`,
        [orphans.violations === null ? 'the orphan count is unknown: run the report file first' : `${plural(orphans.violations, 'orphan row')} ${orphans.exact ? 'counted over the whole table' : 'estimated from a sample'}`],
        [
        `-- DESTRUCTIVE. Choose ONE statement below, uncomment it, and take a backup first:`,
        commentLine(`  CREATE TABLE ${quoteIdent(objectName([child.table, 'orphans'], 'backup'))} AS SELECT * FROM ${q(child)} WHERE ${where};`),
        'BEGIN;',
        `SET LOCAL lock_timeout = '${LOCK_TIMEOUT}';`,
        `SET LOCAL statement_timeout = 0;`,
        `-- Choice 1: delete the orphan rows.`,
        commentLine(`DELETE FROM ${q(child)} WHERE ${where};`),
        ...(nullable ? [`-- Choice 2: keep the rows and clear the dangling reference.`, commentLine(`UPDATE ${q(child)} SET ${quoteIdent(column)} = NULL WHERE ${where};`)] : []),
        'COMMIT;',
        '',
        ].join('\n'),
      ),
      down: nothingToUndo('Deleted or cleared rows come back only from the backup table.'),
      transactional: true,
      lock: 'SHARE ROW EXCLUSIVE',
      destructive: true,
    },
  ];
  if (!indexed) {
    steps.push(createIndexMigration({ schema: child.schema, table: child.table, name: objectName([child.table, column], 'idx'), keys: [quoteIdent(column)] }, `The index the foreign key ${child.table}.${column} needs.`));
  }
  steps.push(
    ...addConstraintNotValid(child, name, `FOREIGN KEY (${quoteIdent(column)}) REFERENCES ${q(parent)} (${quoteIdent(key)})`, `foreign_key_${name}`, {
      add: `Declare ${child.table}.${column} → ${parent.table}.${key}. NOT VALID: new rows are checked now, existing rows by the next file.`,
      validate: 'Check the existing rows (fails while orphans remain: run the cleanup first). Reads and writes go on.',
    }, riskOf(orphans)),
  );
  return steps;
}

export type { Referencing, KeepOrder, DedupeSizes } from './dedupe.js';

/** Soft-delete and end markers: a row with the column set is no longer the live one. */
const ENDED_AT = /^(deleted|revoked|archived|cancell?ed|removed|ended|banned|disabled|expired)_?at$/i;
/** Status values that mean the row is in use. */
const LIVE_STATUS = ['active', 'accepted', 'confirmed', 'current', 'paid', 'trialing', 'enabled', 'approved', 'published', 'open', 'verified'];
const CREATED_AT = /^(created|inserted)_?(at|on)$/i;

/**
 * The keep rule of a dedupe, from the table's columns: the live row first (no soft-delete timestamp set, then an
 * active-looking status), then the most referenced (the caller adds it), then the newest (created_at, else the
 * highest key). A decision template states it; the person who decides may change it.
 */
export function keepOrder(columns: readonly { readonly name: string; readonly type: string }[], pk: string): { live: KeepOrder; newest: KeepOrder } {
  const live: string[] = [];
  const liveWords: string[] = [];
  for (const c of columns.filter((x) => ENDED_AT.test(x.name))) {
    live.push(`(d.${quoteIdent(c.name)} IS NULL) DESC`);
    liveWords.push(`${c.name} not set`);
  }
  for (const c of columns.filter((x) => /^(status|state)$/i.test(x.name) && /(char|text)/.test(x.type))) {
    live.push(`(d.${quoteIdent(c.name)} IN (${LIVE_STATUS.map(quoteLiteral).join(', ')})) DESC`);
    liveWords.push(`${c.name} active-like (${LIVE_STATUS.slice(0, 4).join(', ')}…)`);
  }
  const created = columns.find((x) => CREATED_AT.test(x.name));
  const newest = created ? [`d.${quoteIdent(created.name)} DESC NULLS LAST`, `d.${quoteIdent(pk)} DESC`] : [`d.${quoteIdent(pk)} DESC`];
  return { live: { terms: live, words: liveWords }, newest: { terms: newest, words: [created ? `the newest (${created.name})` : `the newest (highest ${pk})`] } };
}


/**
 * The unique repair plan: preview, a dedupe (a decision template) that keeps per group the live row, then the most
 * referenced, then the newest (keepOrder), repoints the references of the removed rows to the kept one and deletes
 * the rest; then the unique index built concurrently and, for plain columns, the constraint on it. References are
 * counted for the rows of duplicate groups only: a correlated count for every row of a 20,000-member table over
 * unindexed foreign keys is what made an earlier version run for a quarter of an hour.
 */
export function uniqueRepair(
  t: Ref,
  keys: readonly string[],
  keyParts: readonly KeyPart[],
  columns: readonly string[],
  pk: string | null,
  referencing: readonly Referencing[],
  duplicates: Measured,
  tableColumns: readonly { readonly name: string; readonly type: string }[] = [],
  sizes: DedupeSizes = { rows: null, referencingRows: null },
): Migration[] {
  const rendered = keyParts.map((k) => keySql(k));
  const indexName = objectName([t.table, ...keys.map((k) => k.replace(/[^A-Za-z0-9_]+/g, '_').replace(/^_+|_+$/g, ''))], 'key');
  const notNull = columns.map((c) => `${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const steps: Migration[] = [
    {
      risk: 'safe',
      name: `preview_duplicates_${indexName}`,
      up: `${commentLine(`Duplicate groups in ${t.schema}.${t.table} on (${keys.join(', ')}). Read-only.`)}\nSELECT ${rendered.join(', ')}, count(*) AS copies FROM ${q(t)} WHERE ${notNull} GROUP BY ${rendered.join(', ')} HAVING count(*) > 1 ORDER BY copies DESC;\n`,
      down: nothingToUndo('The preview changed nothing.'),
      transactional: true,
      lock: 'ACCESS SHARE',
    },
  ];
  // No duplicate among all rows (counted exactly): nothing to merge, and no decision to make.
  const noDuplicates = duplicates.exact && duplicates.violations === 0;
  if (pk && !noDuplicates) {
    const order = keepOrder(tableColumns, pk);
    const rule = [...order.live.words, 'the most referenced', ...order.newest.words].join(', then ');
    const decision = `Which ${t.table} row of each duplicate group on (${keys.join(', ')}) is the real one? Proposed: ${rule}.`;
    const estimate = dedupeEstimate(sizes, referencing.length, duplicates.violations);
    steps.push({
      risk: 'decision',
      decision,
      name: `dedupe_${indexName}`,
      up: decisionTemplate(
        decision,
        [
          duplicates.violations === null ? 'the duplicate count is unknown: run the preview file first' : `${plural(duplicates.violations, 'duplicate group')} ${duplicates.exact ? 'counted over the whole table' : 'estimated from a sample'}`,
          estimate,
          ...unindexedNote(referencing),
        ],
        dedupeBlock({ table: t, rendered, columns, pk, referencing, order, keys, rule }),
        true,
      ),
      down: nothingToUndo('Deleted duplicates come back only from the backup table.'),
      transactional: false,
      lock: 'ROW EXCLUSIVE',
      destructive: true,
    });
  }
  steps.push(createIndexMigration({ schema: t.schema, table: t.table, name: indexName, keys: rendered, unique: true }, `Enforce one row per (${keys.join(', ')}) on ${t.schema}.${t.table}.`, riskOf(duplicates)));
  if (keyParts.every((k) => !k.lower)) {
    steps.push({
      risk: riskOf(duplicates),
      name: `add_unique_constraint_${indexName}`,
      up: inTransaction(`Turn the unique index into a constraint (catalog only).`, [
        `ALTER TABLE ${q(t)} DROP CONSTRAINT IF EXISTS ${quoteIdent(indexName)};`,
        `ALTER TABLE ${q(t)} ADD CONSTRAINT ${quoteIdent(indexName)} UNIQUE USING INDEX ${quoteIdent(indexName)};`,
      ]),
      // Dropping the constraint drops its index; the index file's down is then a no-op.
      down: inTransaction('Drop the unique constraint.', [`ALTER TABLE ${q(t)} DROP CONSTRAINT IF EXISTS ${quoteIdent(indexName)};`]),
      transactional: true,
      lock: 'ACCESS EXCLUSIVE',
    });
  }
  return steps;
}

/** One line naming the referencing columns without an index: each batch of the dedupe scans their tables. */
function unindexedNote(referencing: readonly Referencing[]): string[] {
  const missing = referencing.filter((r) => r.indexed === false).map((r) => `${r.table}.${r.column}`);
  if (missing.length === 0) return [];
  return [`no index on ${missing.join(', ')}: each batch would scan ${missing.length === 1 ? 'that table' : 'those tables'}. pgrescue plans their foreign-key indexes before this file (the safe set); build them first if you apply it alone`];
}

/** NOT NULL without a long lock: CHECK … NOT VALID, VALIDATE, then SET NOT NULL (no scan) and drop the check. */
export function notNullRepair(t: Ref, column: string, nulls: Measured): Migration[] {
  const check = objectName([t.table, column], 'not_null');
  const c = quoteIdent(column);
  return [
    ...addConstraintNotValid(t, check, `CHECK (${c} IS NOT NULL)`, `not_null_check_${t.table}_${column}`, {
      add: `Declare ${column} NOT NULL for new rows.`,
      validate: 'Check the existing rows without blocking writes.',
    }, riskOf(nulls)),
    {
      risk: riskOf(nulls),
      name: `set_not_null_${t.table}_${column}`,
      up: inTransaction(`SET NOT NULL uses the validated check, so it does not scan the table.`, [
        `-- squawk-ignore adding-not-nullable-field`,
        `ALTER TABLE ${q(t)} ALTER COLUMN ${c} SET NOT NULL;`,
        `ALTER TABLE ${q(t)} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};`,
      ]),
      down: inTransaction('Allow NULLs again.', [`-- squawk-ignore ban-drop-not-null`, `ALTER TABLE ${q(t)} ALTER COLUMN ${c} DROP NOT NULL;`]),
      transactional: true,
      lock: 'ACCESS EXCLUSIVE',
    },
  ];
}

/** CHECK (column IN (…)) for an enum-like column: NOT VALID, then VALIDATE. */
export function checkRepair(t: Ref, column: string, values: readonly string[], outside: Measured): Migration[] {
  return addConstraintNotValid(t, objectName([t.table, column], 'check'), `CHECK (${quoteIdent(column)} IN (${values.map(quoteLiteral).join(', ')}))`, `check_${t.table}_${column}`, {
    add: `Only the values in use today: ${values.join(', ')}. Edit the list if the app has more.`,
    validate: 'Check the existing rows without blocking writes.',
  }, riskOf(outside));
}
