import { qualified, quoteIdent } from '../migrate/quote.js';
import { SECRET_COLUMN } from '../scope/vocabulary.js';
import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { SecretSample, Table } from './snapshot-types.js';

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

export const SAMPLE_ROWS = 200;

/**
 * For each credential-like text column, classify a bounded sample (the first 200 non-null values) by hash
 * format, counting on the server. Only counts reach pgrescue; a failure skips that column with a warning.
 */
export async function collectSecretSamples(ctx: CollectContext, tables: readonly Table[]): Promise<SecretSample[]> {
  const samples: SecretSample[] = [];
  for (const t of tables) {
    if (t.isPartition) continue;
    for (const c of t.columns) {
      if (!SECRET_COLUMN.test(c.name) || !TEXT_TYPES.test(c.type)) continue;
      const counts = Object.entries(PATTERNS).map(([k, re]) => `count(*) FILTER (WHERE v ~ '${re}') AS "${k}"`).join(', ');
      try {
        const [row] = await ctx.session.query<Record<string, string>>(
          `SELECT count(*) AS sampled, ${counts} FROM (SELECT ${quoteIdent(c.name)}::text AS v FROM ${qualified(t.schema, t.name)} WHERE ${quoteIdent(c.name)} IS NOT NULL LIMIT ${SAMPLE_ROWS}) s`,
        );
        if (!row) continue;
        const byPattern: Record<string, number> = {};
        for (const k of Object.keys(PATTERNS)) byPattern[k] = num(row[k]);
        samples.push({ schema: t.schema, table: t.name, column: c.name, sampled: num(row.sampled), byPattern });
      } catch (error) {
        ctx.warn({ code: 'secret-sample-failed', message: `could not sample ${t.schema}.${t.name}.${c.name} for plaintext secrets (${(error as Error).message}): skipped` });
      }
    }
  }
  return samples;
}
