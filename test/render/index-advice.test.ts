import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { analyze } from '../../src/engine/run.js';
import type { Snapshot } from '../../src/model/snapshot.js';
import { displaySafe } from '../../src/render/display-safe.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { ensureParser } from '../../src/sql/parser.js';
import { detailLines } from '../../src/tui/components/finding-detail.js';

before(ensureParser);

// A snapshot recorded on the system PostgreSQL 15 with HypoPG (analyzers/performance/missing-index.test.ts).
const recorded = JSON.parse(readFileSync(new URL('../../analyzers/performance/__fixtures__/missing-index.hypopg.json', import.meta.url), 'utf8')) as { snapshots: Record<string, Snapshot> };

describe("the index advisor's outcome per statement, where a user reads it", () => {
  const snapshot = recorded.snapshots['advisor']!;
  const report = analyze(snapshot, ANALYZERS, { now: new Date(snapshot.collectedAt) });

  it('the JSON report gives each top statement its outcome and reason, and the window', () => {
    assert.ok(report.indexAdvisor && report.indexAdvisor.engine === 'hypopg');
    const advised = report.statements.filter((s) => s.indexAdvice);
    assert.ok(advised.length >= 4, JSON.stringify(report.statements.map((s) => s.indexAdvice)));
    assert.ok(advised.some((s) => s.indexAdvice!.outcome === 'improved' && /cut its planner cost/.test(s.indexAdvice!.reason)));
  });

  it('Markdown has an index advisor column, one cell per statement, escaped', () => {
    const md = renderMarkdown(displaySafe(report));
    assert.match(md, /\| total \| calls \| mean \| p95 \(est\.\) \| statement \| index advisor \|/);
    assert.match(md, /\| improved: the chosen indexes cut its planner cost from [\d.]+ to [\d.]+ \|/);
  });

  it('the TUI finding detail shows the outcome under each statement it has one for', () => {
    const finding = report.findings.find((f) => f.rule === 'missing-index')!;
    const lines = detailLines(finding, 120, report.statements).map((l) => l.text);
    assert.ok(lines.some((l) => /^ {2}index advisor: improved: the chosen indexes cut its planner cost/.test(l)), lines.join('\n'));
  });
});
