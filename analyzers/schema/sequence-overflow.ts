import type { Sequence } from '../../src/model/snapshot.js';
import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft, Migration } from '../../src/model/finding.js';
import type { Severity } from '../../src/model/severity.js';
import { statsAge } from '../../src/derive/units.js';
import { qualified, quoteIdent } from '../../src/sql/quote.js';
import { inTransaction } from '../../src/migrate/transaction.js';
import type { Catalog } from '../../src/derive/catalog.js';

/** Documented defaults (docs/rules/sequence-overflow.md). */
export const SEQUENCE_OVERFLOW_DEFAULTS = { warnPercent: 75, criticalPercent: 90 };

const TYPE_MAX: Record<string, number> = { smallint: 32767, integer: 2147483647, bigint: 9223372036854775807 };

function capacity(seq: Sequence): { max: number; limitedBy: 'column' | 'sequence' } {
  const columnMax = seq.ownedBy ? TYPE_MAX[seq.ownedBy.columnType] : undefined;
  // An integer column caps the sequence even when both end at the same number: the column must widen first.
  if (columnMax !== undefined && columnMax <= seq.maxValue && seq.ownedBy?.columnType !== 'bigint') return { max: columnMax, limitedBy: 'column' };
  return { max: seq.maxValue, limitedBy: 'sequence' };
}

export default defineAnalyzer(
  {
    id: 'sequence-overflow',
    title: 'Sequence close to overflow',
    category: 'integrity',
    defaultSeverity: 'high',
    requires: [],
    fixable: true,
    description: 'A sequence (serial or identity) past 75% of what its column or itself can hold: inserts start failing when it runs out.',
    options: {
      warnPercent: { default: SEQUENCE_OVERFLOW_DEFAULTS.warnPercent, description: 'used share of the range from which it is reported' },
      criticalPercent: { default: SEQUENCE_OVERFLOW_DEFAULTS.criticalPercent, description: 'used share of the range from which it is critical' },
    },
  },
  ({ snapshot, option, now, catalog }) => {
    const warn = option('warnPercent');
    const critical = option('criticalPercent');
    const age = statsAge(snapshot, now);
    const findings: FindingDraft[] = [];
    for (const seq of snapshot.sequences) {
      if (seq.lastValue === null || seq.increment <= 0) continue;
      const { max, limitedBy } = capacity(seq);
      const percent = (100 * (seq.lastValue - seq.minValue)) / (max - seq.minValue);
      if (percent < warn) continue;
      const severity: Severity = percent >= critical ? 'critical' : 'high';
      const owner = seq.ownedBy ? catalog.table(seq.schema, seq.ownedBy.table) : undefined;
      const perDay = owner && age.days >= 1 ? owner.stats.nTupIns / age.days : null;
      const daysLeft = perDay && perDay > 0 ? Math.floor((max - seq.lastValue) / (perDay * seq.increment)) : null;
      const where = seq.ownedBy ? `${seq.ownedBy.table}.${seq.ownedBy.column} (${seq.ownedBy.columnType})` : `sequence ${seq.name} (${seq.dataType})`;
      findings.push({
        key: seq.ownedBy?.column ?? seq.name,
        severity,
        message: `${seq.schema}.${seq.name} has used ${percent.toFixed(1)}% of what ${where} can hold (${seq.lastValue} of ${max})${daysLeft !== null ? `; at ~${Math.round(perDay!)} inserts/day it runs out in about ${daysLeft} days` : ''}. When it does, every insert fails.`,
        object: { schema: seq.schema, table: seq.ownedBy?.table ?? seq.name, ...(seq.ownedBy ? { columns: [seq.ownedBy.column] } : {}) },
        evidence: {
          sequence: seq.name,
          lastValue: seq.lastValue,
          maxValue: max,
          percentUsed: Math.round(percent * 10) / 10,
          limitedBy,
          columnType: seq.ownedBy?.columnType ?? null,
          insertsPerDay: perDay === null ? null : Math.round(perDay),
          daysLeft,
        },
        remediation:
          limitedBy === 'column'
            ? `Move ${where} (and the columns that reference it) to bigint. ALTER TYPE rewrites the table under an ACCESS EXCLUSIVE lock: plan a window, or use a new bigint column synced by a trigger and swap.`
            : `Widen the sequence: ALTER SEQUENCE … AS bigint (catalog only).`,
        migrations: [widenMigration(seq, limitedBy, catalog.referencing(seq.schema, seq.ownedBy?.table ?? '').filter((fk) => fk.references?.columns.includes(seq.ownedBy?.column ?? '')))],
      });
    }
    return findings;
  },
);

function widenMigration(seq: Sequence, limitedBy: 'column' | 'sequence', referencing: ReturnType<Catalog['referencing']>): Migration {
  const s = qualified(seq.schema, seq.name);
  if (limitedBy === 'sequence' || !seq.ownedBy) {
    return {
      risk: 'review',
      name: `widen_sequence_${seq.name}`,
      up: inTransaction(`Let ${seq.name} count past ${seq.maxValue}.`, [`ALTER SEQUENCE ${s} AS bigint NO MAXVALUE;`]),
      down: inTransaction(`Restore the sequence type.`, [`ALTER SEQUENCE ${s} AS ${seq.dataType} MAXVALUE ${seq.maxValue};`]),
      transactional: true,
      lock: 'none',
    };
  }
  const owner = seq.ownedBy;
  const t = qualified(seq.schema, owner.table);
  const alters = [
    `ALTER TABLE ${t} ALTER COLUMN ${quoteIdent(owner.column)} TYPE bigint;`,
    ...referencing.map((fk) => `ALTER TABLE ${qualified(fk.schema, fk.table)} ALTER COLUMN ${quoteIdent(fk.columns[fk.references!.columns.indexOf(owner.column)] ?? fk.columns[0]!)} TYPE bigint;`),
  ];
  const back = alters.map((a) => a.replace(/TYPE bigint;$/, `TYPE ${owner.columnType};`));
  const warning = `-- WARNING: ALTER COLUMN … TYPE rewrites each table and its indexes under an ACCESS EXCLUSIVE lock:\n-- reads and writes wait until it finishes. Run it in a maintenance window, or instead add a bigint\n-- column kept in sync by a trigger, backfill it in batches, and swap the columns in one short transaction.`;
  // The lock is the acknowledged cost of this plan (see the warning); the down goes back to the old type on purpose.
  const ignore = (sql: string): string => `-- squawk-ignore changing-column-type\n${sql}`;
  const ignoreDown = (sql: string): string => `-- squawk-ignore changing-column-type, prefer-bigint-over-int\n${sql}`;
  return {
    risk: 'review',
    name: `widen_${owner.table}_${owner.column}_to_bigint`,
    up: inTransaction(`Move ${owner.table}.${owner.column} to bigint before ${seq.name} runs out.\n${warning}`, [...alters.map(ignore), `ALTER SEQUENCE ${s} AS bigint NO MAXVALUE;`], '0'),
    down: inTransaction(`Back to ${owner.columnType} (fails if values no longer fit).`, [`ALTER SEQUENCE ${s} AS ${seq.dataType} MAXVALUE ${seq.maxValue};`, ...back.map(ignoreDown)], '0'),
    transactional: true,
    lock: 'ACCESS EXCLUSIVE',
  };
}
