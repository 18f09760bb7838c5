import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixFirst } from '../../src/derive/fix-plan.js';
import type { ReportFinding } from '../../src/model/report.js';
import type { Severity } from '../../src/model/severity.js';
import { planLines } from '../../src/render/fix-first.js';
import type { Report } from '../../src/model/report.js';

function finding(rule: string, table: string, columns: string[], severity: Severity, statements: [string, number][], risk?: 'safe' | 'review' | 'decision'): ReportFinding {
  return {
    id: `${rule}:public.${table}:${columns.join(',')}`,
    rule,
    category: 'performance',
    severity,
    title: rule,
    message: `${rule} on ${table}`,
    object: { schema: 'public', table, columns },
    statements: statements.map(([queryid, totalMs]) => ({ queryid, query: 'SELECT 1', calls: 1, totalMs, meanMs: totalMs, rows: 1 })),
    evidence: {},
    remediation: 'do it',
    ...(risk ? { migrations: [{ risk, name: `fix_${rule}_${table}`, up: 'SELECT 1;', down: 'SELECT 1;', transactional: true, lock: 'none' as const }] } : {}),
  };
}

const FINDINGS: ReportFinding[] = [
  // An audit table without a primary key: severe, but no statement time.
  finding('missing-primary-key', 'audit', [], 'high', [], 'review'),
  // One slow lookup seen three ways: the loop, the index it needs, the foreign key under it.
  finding('n-plus-one', 'comments', ['post_id'], 'high', [['q1', 760]]),
  finding('missing-index', 'comments', ['post_id', 'created_at'], 'medium', [['q1', 760]], 'safe'),
  finding('unindexed-foreign-key', 'comments', ['post_id'], 'medium', [['q1', 760]], 'safe'),
  finding('missing-index', 'payments', ['member_id'], 'medium', [['q2', 90]], 'safe'),
  finding('missing-not-null', 'comments', ['post_id'], 'low', [], 'safe'),
];

describe('the fix-first plan', () => {
  const plan = fixFirst(FINDINGS, 1000);

  it('groups an N+1, the index its lookup needs and the unindexed foreign key under it as one cause', () => {
    assert.deepEqual(plan[0]!.rules, ['n-plus-one', 'missing-index', 'unindexed-foreign-key']);
    assert.deepEqual(plan[0]!.object, { schema: 'public', table: 'comments', columns: ['post_id'] });
    assert.equal(plan[0]!.severity, 'high');
    assert.equal(plan[0]!.risk, 'safe');
    assert.equal(plan[0]!.dbTimeShare, 0.76, 'the shared statement counts once');
  });

  it('ranks by share of DB time, then severity: the top fix comes before a severe finding that costs no time', () => {
    assert.deepEqual(plan.map((i) => i.findings[0]!.split(':')[0]), ['n-plus-one', 'missing-index', 'missing-primary-key', 'missing-not-null']);
    assert.deepEqual(plan.map((i) => i.rank), [1, 2, 3, 4]);
  });

  it('takes the hardest step of a group as its risk, and none without a migration', () => {
    const mixed = fixFirst([finding('missing-index', 'posts', ['author_id'], 'medium', [['q3', 10]], 'safe'), finding('unindexed-foreign-key', 'posts', ['author_id'], 'low', [['q3', 10]], 'decision'), finding('slow-query', 'feed', ['at'], 'low', [['q4', 5]])], 100);
    assert.deepEqual(mixed.map((i) => [i.object.table, i.risk, i.severity, i.dbTimeShare]), [['posts', 'decision', 'medium', 0.1], ['feed', 'none', 'low', 0.05]]);
    assert.equal(plan.find((i) => i.object.table === 'audit')!.risk, 'review');
  });

  it('keeps causes apart that only share a column (a constraint is not the lookup)', () => {
    assert.equal(plan.filter((i) => i.object.table === 'comments').length, 2);
  });

  it('as text: fits the width without cutting words, and ends with the next command', () => {
    const report = { findings: FINDINGS, fixFirst: plan } as unknown as Report;
    const lines = planLines(report, 60);
    for (const line of lines) assert.ok(line.length <= 60 || !line.trim().includes(' '), line);
    assert.match(lines.join(' '), /76\.0% of DB time/);
    assert.match(lines.join(' ').replace(/\s+/g, ' '), /Next: pgrescue migrate .* writes 4 safe steps .* adds 1 more step\.$/);
  });
});
