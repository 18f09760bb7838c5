import { quoteIdent } from '../sql/quote.js';
import { SECRET_COLUMN } from '../scope/vocabulary.js';
import { boundedQuery, EXACT_ROW_LIMIT, failureWarning, sampledFrom } from './bounded.js';
import type { BoundedFailure } from './bounded.js';
import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { SecretSample, Table } from '../model/snapshot.js';

const TEXT_TYPES = /^(text|character varying|varchar|character|char|citext)/;

/** Hash formats, as PostgreSQL regular expressions, counted on the server: values never leave it. */
const PATTERNS: Record<string, string> = {
  bcrypt: '^\\$2[abxy]?\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$',
  argon2: '^\\$argon2(id|i|d)\\$',
  scrypt: '^(\\$scrypt\\$|\\$7\\$|scrypt:)',
  pbkdf2: '^(\\$pbkdf2|pbkdf2[_:$])',
  sha256Hex: '^[0-9a-fA-F]{64}$',
  sha512Hex: '^[0-9a-fA-F]{128}$',
  otherCrypt: '^\\$[0-9a-z]+\\$',
  md5OrSha1Hex: '^([0-9a-fA-F]{32}|[0-9a-fA-F]{40})$',
};
const PATTERN_NAMES = Object.keys(PATTERNS);

export const SAMPLE_ROWS = 200;

/**
 * For each credential-like text column, classify a bounded sample (up to 200 non-null values among at most
 * EXACT_ROW_LIMIT rows read, so a mostly-NULL column never means a whole-table scan) by hash format, counting on
 * the server; the patterns travel as parameters. Only counts reach pgrescue. A column whose sample could not be
 * read stays in the snapshot with the cause, so the rule can report it as unconfirmed.
 */
export async function collectSecretSamples(ctx: CollectContext, tables: readonly Table[]): Promise<SecretSample[]> {
  const samples: SecretSample[] = [];
  const failures: BoundedFailure[] = [];
  const counts = PATTERN_NAMES.map((k, i) => `count(*) FILTER (WHERE v ~ $${i + 1}) AS ${quoteIdent(k)}`).join(', ');
  for (const t of tables) {
    if (t.isPartition) continue;
    for (const c of t.columns) {
      if (!SECRET_COLUMN.test(c.name) || !TEXT_TYPES.test(c.type)) continue;
      const f = sampledFrom(t.schema, t.name, t.rowEstimate, 't');
      const col = `t.${quoteIdent(c.name)}`;
      const r = await boundedQuery(
        ctx,
        `SELECT count(*) AS sampled, ${counts}
         FROM (SELECT v FROM (SELECT ${col}::text AS v FROM ${f.sql} LIMIT ${EXACT_ROW_LIMIT}) r WHERE v IS NOT NULL LIMIT ${SAMPLE_ROWS}) s`,
        PATTERN_NAMES.map((k) => PATTERNS[k]),
        t.oid,
      );
      if ('failure' in r) {
        failures.push(r.failure);
        samples.push({ schema: t.schema, table: t.name, column: c.name, sampled: 0, failure: r.failure.cause, byPattern: {} });
        continue;
      }
      const row = r.rows[0] ?? {};
      const byPattern: Record<string, number> = {};
      for (const k of PATTERN_NAMES) byPattern[k] = num(row[k]);
      samples.push({ schema: t.schema, table: t.name, column: c.name, sampled: num(row.sampled), byPattern });
    }
  }
  for (const warning of failureWarning(ctx, failures, 'secret sample(s) (password, token and key columns)', 'secret-samples')) ctx.warn(warning);
  return samples;
}
