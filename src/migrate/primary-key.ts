import type { Column, Index, Table } from '../model/snapshot.js';
import type { Migration } from '../model/finding.js';
import { objectName, qualified, quoteIdent, regclassLiteral } from '../sql/quote.js';
import { concurrentIndexDefinition } from '../sql/index-definition.js';
import { createIndexMigration } from './recipes.js';
import { addConstraintNotValid } from './repair.js';
import { inTransaction, nothingToUndo } from './transaction.js';
import { commentLine } from '../sql/comment.js';

/**
 * Promote an existing unique index over NOT NULL columns to the primary key (catalog-only, brief lock): two steps.
 * Dropping the constraint drops its index, so undoing needs a twin built CONCURRENTLY, which cannot share a
 * transaction with the rest: the second step's down builds the twin on its own (it runs first when undoing), the
 * first step's down then drops the constraint and gives the twin the old name. Every direction of every step is
 * thus one transaction or one statement, which every migration tool can run.
 */
export function addPrimaryKeyUsingIndexMigration(table: Table, index: Index): Migration[] {
  const t = qualified(table.schema, table.name);
  const name = quoteIdent(index.name);
  const twin = objectName([index.name], 'restore');
  return [
    {
      risk: 'review',
      name: `add_primary_key_${table.name}`,
      // The constraint takes the index's name, so the index keeps its name.
      up: inTransaction(`Promote the unique index ${index.name} to the primary key of ${table.schema}.${table.name}.`, [
        `ALTER TABLE ${t} ADD CONSTRAINT ${name} PRIMARY KEY USING INDEX ${name};`,
      ]),
      down: inTransaction(`Put the unique index ${index.name} back as a plain unique index (its twin was built by the next step's down).`, [
        `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${name};`,
        `ALTER INDEX IF EXISTS ${qualified(table.schema, twin)} RENAME TO ${name};`,
      ]),
      transactional: true,
      lock: 'ACCESS EXCLUSIVE',
    },
    {
      risk: 'review',
      name: `undo_twin_primary_key_${table.name}`,
      up: nothingToUndo(`Nothing to do going up: the down of this step builds, concurrently, the twin of ${index.name} that undoing the primary key of ${table.schema}.${table.name} needs.`),
      down: [
        commentLine(`Build a twin of ${index.name} concurrently, before the primary key is dropped (which drops its index). Outside a transaction.`),
        `SET lock_timeout = '2s';`,
        `SET statement_timeout = 0;`,
        concurrentIndexDefinition(index.definition, twin),
        '',
      ].join('\n'),
      transactional: false,
      lock: 'SHARE UPDATE EXCLUSIVE',
    },
  ];
}

/**
 * A sequence owned by the id column. OWNED BY needs the sequence and the table to share an owner, and whoever
 * runs the migration (often a superuser) is not the table's owner: hand the sequence to the table's owner first.
 */
function ownedSequence(table: Table, seqName: string, id: string): string[] {
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${seqName} AS bigint;`,
    `ALTER SEQUENCE ${seqName} OWNER TO ${quoteIdent(table.owner)};`,
    `ALTER SEQUENCE ${seqName} OWNED BY ${qualified(table.schema, table.name)}.${id};`,
  ];
}

/**
 * Make `id` the primary key without a long lock: add it (with a sequence) when missing, backfill, build the
 * unique index concurrently, prove NOT NULL with a validated CHECK, then attach the constraint.
 */
export function addPrimaryKeyFromColumnMigrations(table: Table, existing: Column | undefined): Migration[] {
  const t = qualified(table.schema, table.name);
  const steps: Migration[] = [];
  const id = quoteIdent('id');
  const seq = objectName([table.name, 'id'], 'seq');
  const seqName = qualified(table.schema, seq);
  const seqLiteral = regclassLiteral(table.schema, seq);
  if (!existing) {
    steps.push({
      risk: 'review',
      name: `add_id_column_${table.name}`,
      up: inTransaction(`Add a bigint id column to ${table.schema}.${table.name}, drawn from a sequence for new rows.`, [
        `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${id} bigint;`,
        ...ownedSequence(table, seqName, id),
        `ALTER TABLE ${t} ALTER COLUMN ${id} SET DEFAULT nextval(${seqLiteral});`,
      ]),
      down: inTransaction(`Remove the id column again (its sequence goes with it).`, [`-- squawk-ignore ban-drop-column`, `ALTER TABLE ${t} DROP COLUMN IF EXISTS ${id};`]),
      transactional: true,
      lock: 'ACCESS EXCLUSIVE',
    });
  } else if (existing.default === null && existing.identity === null && existing.type === 'uuid') {
    // A uuid id nobody fills: new rows (and the backfill) get a random uuid.
    steps.push({
      risk: 'review',
      name: `add_id_default_${table.name}`,
      up: inTransaction(`Give new rows of ${table.schema}.${table.name} a random uuid id.`, [`ALTER TABLE ${t} ALTER COLUMN ${id} SET DEFAULT gen_random_uuid();`]),
      down: inTransaction(`Remove the default.`, [`ALTER TABLE ${t} ALTER COLUMN ${id} DROP DEFAULT;`]),
      transactional: true,
      lock: 'ACCESS EXCLUSIVE',
    });
  } else if (existing.default === null && existing.identity === null && /^(smallint|integer|bigint)$/.test(existing.type)) {
    // An integer id column nobody fills: give it a sequence that starts after the largest id already there.
    steps.push({
      risk: 'review',
      name: `add_id_sequence_${table.name}`,
      up: inTransaction(`Number new rows of ${table.schema}.${table.name} from a sequence that starts after the current largest id.`, [
        ...ownedSequence(table, seqName, id),
        `SELECT setval(${seqLiteral}, coalesce(max(${id}), 0) + 1, false) FROM ${t};`,
        `ALTER TABLE ${t} ALTER COLUMN ${id} SET DEFAULT nextval(${seqLiteral});`,
      ]),
      down: inTransaction(`Remove the default and its sequence.`, [`ALTER TABLE ${t} ALTER COLUMN ${id} DROP DEFAULT;`, `DROP SEQUENCE IF EXISTS ${seqName};`]),
      transactional: true,
      lock: 'ACCESS EXCLUSIVE',
    });
  }
  if (!existing || !existing.notNull) {
    steps.push({
      risk: 'review',
      name: `backfill_id_${table.name}`,
      up: [
        commentLine(`Number the rows of ${table.schema}.${table.name} that have no id. On a large table run it in batches, e.g.`),
        commentLine(`  UPDATE ${t} SET ${id} = DEFAULT WHERE ctid IN (SELECT ctid FROM ${t} WHERE ${id} IS NULL LIMIT 10000);`),
        `-- repeated until it updates 0 rows.`,
        `SET lock_timeout = '2s';`,
        `SET statement_timeout = 0;`,
        `UPDATE ${t} SET ${id} = DEFAULT WHERE ${id} IS NULL;`,
        '',
      ].join('\n'),
      down: nothingToUndo('Backfilled ids stay: they are harmless without the key.'),
      transactional: true,
      lock: 'none',
    });
  }
  const key = objectName([table.name, 'id'], 'key');
  const check = objectName([table.name, 'id'], 'not_null');
  steps.push(createIndexMigration({ schema: table.schema, table: table.name, name: key, keys: [id], unique: true }, `The unique index the primary key of ${table.schema}.${table.name} will use.`, 'review'));
  steps.push(
    ...addConstraintNotValid({ schema: table.schema, table: table.name }, check, `CHECK (${id} IS NOT NULL)`, `id_not_null_check_${table.name}`, {
      add: 'Declare id NOT NULL without scanning under a lock: NOT VALID first.',
      validate: 'Validate the check: scans the table without blocking writes.',
    }, 'review'),
  );
  const wasNullable = !existing || !existing.notNull;
  steps.push({
    risk: 'review',
    name: `add_primary_key_${table.name}`,
    up: inTransaction(`Attach the primary key to the unique index (no scan: the validated check proves NOT NULL).`, [
      `ALTER TABLE ${t} ADD CONSTRAINT ${quoteIdent(key)} PRIMARY KEY USING INDEX ${quoteIdent(key)};`,
      `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${quoteIdent(check)};`,
    ]),
    down: inTransaction('Remove the primary key (its index goes with it).', [
      `ALTER TABLE ${t} DROP CONSTRAINT IF EXISTS ${quoteIdent(key)};`,
      ...(wasNullable ? [`-- squawk-ignore ban-drop-not-null`, `ALTER TABLE ${t} ALTER COLUMN ${id} DROP NOT NULL;`] : []),
    ]),
    transactional: true,
    lock: 'ACCESS EXCLUSIVE',
  });
  return steps;
}
