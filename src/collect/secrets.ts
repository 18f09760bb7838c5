import { quoteIdent, quoteLiteral } from '../sql/quote.js';
import { SECRET_COLUMN } from '../scope/vocabulary.js';
import { EXACT_ROW_LIMIT, failureWarning, sampledFrom } from './bounded.js';
import type { ProbeRequest, TablePlan } from './table-reads.js';
import type { BoundedFailure } from './bounded.js';
import type { CollectContext } from './context.js';
import { num } from './context.js';
import type { SecretSample, Table } from '../model/snapshot.js';

const TEXT_TYPES = /^(text|character varying|varchar|character|char|citext)/;

/**
 * Hash formats, as conditions on a sampled value `v`, its length `len` and whether it is all hex digits (`hex`),
 * counted on the server: values never leave it. Fixed lengths are compared as lengths, not as bounded regex
 * repetitions (`[0-9a-f]{64}`), which PostgreSQL's regex engine runs slowly: the same classes, ten times faster.
 */
export const FORMATS: Readonly<Record<string, string>> = {
  // $2$/$2a$…, a two-digit cost, then 53 characters of salt and hash: 59 or 60 characters in all.
  bcrypt: `(len = 60 AND v ~ ${quoteLiteral('^\\$2[abxy]\\$[0-9][0-9]\\$[./A-Za-z0-9]+$')}) OR (len = 59 AND v ~ ${quoteLiteral('^\\$2\\$[0-9][0-9]\\$[./A-Za-z0-9]+$')})`,
  argon2: `v ~ ${quoteLiteral('^\\$argon2(id|i|d)\\$')}`,
  scrypt: `v ~ ${quoteLiteral('^(\\$scrypt\\$|\\$7\\$|scrypt:)')}`,
  pbkdf2: `v ~ ${quoteLiteral('^(\\$pbkdf2|pbkdf2[_:$])')}`,
  sha256Hex: 'hex AND len = 64',
  sha512Hex: 'hex AND len = 128',
  otherCrypt: `v ~ ${quoteLiteral('^\\$[0-9a-z]+\\$')}`,
  md5OrSha1Hex: 'hex AND len IN (32, 40)',
};
const PATTERN_NAMES = Object.keys(FORMATS);

export const SAMPLE_ROWS = 200;

/**
 * For each credential-like text column, classify a bounded sample (up to 200 non-empty values among at most
 * EXACT_ROW_LIMIT rows read, so a mostly-NULL column never means a whole-table scan) by hash format, counting on
 * the server; the patterns are pgrescue's own constants, quoted as literals. Only counts reach pgrescue. A column
 * whose sample could not be read stays in the snapshot with the cause, so the rule can report it as unconfirmed.
 * The probes are answered with the data checks' (src/collect/table-reads.ts), one statement per table.
 */
export function planSecretSamples(tables: readonly Table[]): TablePlan<SecretSample[]> {
  const samples: SecretSample[] = [];
  const failures: BoundedFailure[] = [];
  const requests: ProbeRequest[] = [];
  const counts = PATTERN_NAMES.map((k) => `count(*) FILTER (WHERE ${FORMATS[k]!})`).join(', ');
  for (const t of tables) {
    if (t.isPartition) continue;
    for (const c of t.columns) {
      if (!SECRET_COLUMN.test(c.name) || !TEXT_TYPES.test(c.type)) continue;
      const f = sampledFrom(t.schema, t.name, t.rowEstimate, 't');
      const base = { schema: t.schema, table: t.name, column: c.name };
      const at = samples.length;
      samples.push({ ...base, sampled: 0, failure: 'error', byPattern: {} });
      requests.push({
        table: t,
        probe: {
          sql: `(SELECT json_build_array(count(*), ${counts})
                 FROM (SELECT v, length(v) AS len, v ~ '^[0-9a-fA-F]*$' AS hex
                       FROM (SELECT v FROM (SELECT t.${quoteIdent(c.name)}::text AS v FROM ${f.sql} LIMIT ${EXACT_ROW_LIMIT}) r WHERE v IS NOT NULL AND v <> '' LIMIT ${SAMPLE_ROWS}) s) s)`,
          empty: [0, ...PATTERN_NAMES.map(() => 0)],
        },
        done: (answer) => {
          const row = (answer as unknown[] | null) ?? [];
          samples[at] = { ...base, sampled: num(row[0]), byPattern: Object.fromEntries(PATTERN_NAMES.map((k, i) => [k, num(row[i + 1])])) };
        },
        failed: (failure) => {
          failures.push(failure);
          samples[at] = { ...base, sampled: 0, failure: failure.cause, byPattern: {} };
        },
      });
    }
  }
  return {
    requests,
    finish: (ctx) => {
      for (const warning of failureWarning(ctx, failures, 'secret sample(s) (password, token and key columns)', 'secret-samples')) ctx.warn(warning);
      return samples;
    },
  };
}
