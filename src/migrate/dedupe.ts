import { plural } from '../derive/format.js';
import { commentLine } from '../sql/comment.js';
import { dollarTag, objectName, qualified, quoteIdent } from '../sql/quote.js';
import { GUARD_IN_BLOCK } from './decision.js';
import { LOCK_TIMEOUT } from './recipes.js';

interface Ref {
  readonly schema: string;
  readonly table: string;
}

/** A column that references the deduplicated table's key. */
export interface Referencing {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  /** Whether an index leads with the column (repointing a batch is then an index lookup, not a scan). */
  readonly indexed?: boolean;
}

/** Which row of a duplicate group to keep, first criterion first: SQL terms over the row alias `d`, and in words. */
export interface KeepOrder {
  readonly terms: readonly string[];
  readonly words: readonly string[];
}

/** Row counts (planner estimates) behind a dedupe's duration estimate. */
export interface DedupeSizes {
  readonly rows: number | null;
  readonly referencingRows: number | null;
  /** Rows in duplicate groups, when the data check counted them. */
  readonly duplicateRows?: number | null;
}

/** Removed rows per transaction: each batch holds its row locks for a fraction of a second. */
export const DEDUPE_BATCH = 1000;

/**
 * A rough duration from table sizes, stated as such: a grouping pass over the table and one pass over each
 * referencing table, then per removed row an update per reference and a delete. The rates are the demo's on a
 * 2-core machine (bench/verify-repairs.ts): about 2 million rows read and 20,000 rows changed per second.
 */
export function dedupeEstimate(sizes: DedupeSizes, references: number, groups: number | null): string {
  if (sizes.rows === null) return 'estimated duration: unknown (no row estimate: the table was never analyzed)';
  const removed = sizes.duplicateRows != null && groups != null ? Math.max(0, sizes.duplicateRows - groups) : null;
  const seconds = (2 * sizes.rows + (sizes.referencingRows ?? 0)) / 2_000_000 + ((removed ?? 0) * (1 + references)) / 20_000;
  const batches = removed === null ? null : Math.max(1, Math.ceil(removed / DEDUPE_BATCH));
  const shown = seconds < 1 ? 'under 1 s' : seconds < 120 ? `about ${Math.ceil(seconds)} s` : `about ${Math.ceil(seconds / 60)} min`;
  const counts = [
    `${sizes.rows.toLocaleString('en-US')} rows estimated in the table`,
    `${plural(references, 'referencing column')}${sizes.referencingRows ? ` over ${sizes.referencingRows.toLocaleString('en-US')} rows` : ''}`,
    ...(removed !== null ? [`${removed.toLocaleString('en-US')} ${removed === 1 ? 'row' : 'rows'} to remove in ${batches === 1 ? '1 batch' : `${batches} batches`} of up to ${DEDUPE_BATCH.toLocaleString('en-US')}`] : []),
  ];
  return `estimated duration: ${shown} (${counts.join(', ')}; rough: rates measured on a 2-core machine)`;
}


export interface DedupePlan {
  readonly table: Ref;
  /** Key parts as SQL (quoted columns, lower("email")). */
  readonly rendered: readonly string[];
  readonly columns: readonly string[];
  readonly pk: string;
  readonly referencing: readonly Referencing[];
  readonly order: { readonly live: KeepOrder; readonly newest: KeepOrder };
  readonly keys: readonly string[];
  /** The keep rule in words. */
  readonly rule: string;
}

/**
 * The dedupe as one PL/pgSQL block (one statement, so every migration tool can run it on its own): the guard;
 * the rows of the duplicate groups and their reference counts, one pass over each table (no correlated count per
 * row); which row each removed one merges into; then batches of DEDUPE_BATCH removed rows, each its own
 * transaction, repointing the references and deleting. Re-runnable: a run that stops part-way leaves whole
 * batches done, and the next run finds only what is left.
 */
export function dedupeBlock(p: DedupePlan): string {
  const t = qualified(p.table.schema, p.table.table);
  const id = quoteIdent(p.pk);
  const keys = p.rendered.join(', ');
  const notNull = (alias: string): string => p.columns.map((c) => `${alias}${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const duplicated = `(${keys}) IN (SELECT ${keys} FROM ${t} WHERE ${notNull('')} GROUP BY ${keys} HAVING count(*) > 1)`;
  const counts = p.referencing.map(
    (r) => `SELECT r.${quoteIdent(r.column)} AS id, count(*) AS n FROM ${qualified(r.schema, r.table)} r JOIN pg_temp.pgrescue_dupes p ON p.${id} = r.${quoteIdent(r.column)} GROUP BY r.${quoteIdent(r.column)}`,
  );
  const refs = counts.length > 0 ? `(SELECT id, sum(n) AS n FROM (${counts.join(' UNION ALL ')}) x GROUP BY id)` : `(SELECT p.${id} AS id, 0 AS n FROM pg_temp.pgrescue_dupes p WHERE false)`;
  const ordering = [...p.order.live.terms, 'd.pgrescue_refs DESC', ...p.order.newest.terms].join(', ');
  const lines = [
    commentLine(`DESTRUCTIVE: keeps one row per (${p.keys.join(', ')}) — ${p.rule} —`),
    commentLine('points the references of the others at it, and deletes the others. Take a backup first:'),
    commentLine(`  CREATE TABLE ${quoteIdent(objectName([p.table.table, 'duplicates'], 'backup'))} AS SELECT * FROM ${t};`),
    '-- One statement that commits batch by batch: run it on its own (psql -f, or the tool\'s no-transaction mode).',
    'DO TAG',
    'DECLARE',
    '  pgrescue_batches integer;',
    'BEGIN',
    GUARD_IN_BLOCK,
    `  PERFORM set_config('lock_timeout', '${LOCK_TIMEOUT}', true);`,
    '  -- pg_temp: always the session\'s own temporary tables, never a table of the app that happens to share the name.',
    '  DROP TABLE IF EXISTS pg_temp.pgrescue_dupes;',
    '  DROP TABLE IF EXISTS pg_temp.pgrescue_dedupe;',
    '  -- The rows of the duplicate groups, read once.',
    `  CREATE TEMP TABLE pgrescue_dupes AS SELECT d.* FROM ${t} d WHERE ${notNull('d.')} AND ${duplicated};`,
    '  -- Which row each removed one merges into, and its batch; references counted in one pass per table.',
    '  CREATE TEMP TABLE pgrescue_dedupe AS',
    `    SELECT remove_id, keep_id, (row_number() OVER (ORDER BY remove_id) - 1) / ${DEDUPE_BATCH} AS batch FROM (`,
    `      SELECT d.${id} AS remove_id, first_value(d.${id}) OVER (PARTITION BY ${keys} ORDER BY ${ordering}) AS keep_id`,
    `      FROM (SELECT p.*, coalesce(c.n, 0) AS pgrescue_refs FROM pg_temp.pgrescue_dupes p LEFT JOIN ${refs} c ON c.id = p.${id}) d`,
    '    ) m WHERE remove_id <> keep_id;',
    '  CREATE INDEX ON pg_temp.pgrescue_dedupe (batch);',
    '  SELECT coalesce(max(batch), -1) INTO pgrescue_batches FROM pg_temp.pgrescue_dedupe;',
    '  DROP TABLE pg_temp.pgrescue_dupes;',
    '  COMMIT;',
    '  FOR pgrescue_batch IN 0..pgrescue_batches LOOP',
    `    PERFORM set_config('lock_timeout', '${LOCK_TIMEOUT}', true);`,
    ...p.referencing.map(
      (r) => `    UPDATE ${qualified(r.schema, r.table)} AS pgrescue_r SET ${quoteIdent(r.column)} = x.keep_id FROM pg_temp.pgrescue_dedupe x WHERE x.batch = pgrescue_batch AND pgrescue_r.${quoteIdent(r.column)} = x.remove_id;`,
    ),
    `    DELETE FROM ${t} AS pgrescue_t USING pg_temp.pgrescue_dedupe x WHERE x.batch = pgrescue_batch AND pgrescue_t.${id} = x.remove_id;`,
    '    COMMIT;',
    '  END LOOP;',
    '  DROP TABLE pg_temp.pgrescue_dedupe;',
    'END',
    'TAG;',
    '',
  ];
  // The tag goes in by position, never by searching the text: a name holding a line "TAG;" stays a name.
  const tag = dollarTag(lines.join('\n'), 'pgrescue_dedupe');
  const open = lines.indexOf('DO TAG');
  const close = lines.lastIndexOf('TAG;');
  return lines.map((line, i) => (i === open ? `DO ${tag}` : i === close ? `${tag};` : line)).join('\n');
}
