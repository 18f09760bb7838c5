import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Report, ReportFinding } from '../../src/model/report.js';
import { renderTable } from '../../src/render/table.js';
import { fixFirst } from '../../src/derive/fix-plan.js';
import { PROJECT_ROOT } from '../harness/cli.js';

/** Real findings (recorded golden output of three rules), in a report around them. */
function reportOf(): Report {
  const findings: ReportFinding[] = [];
  for (const rule of ['security/rls-missing', 'integrity/missing-unique', 'indexes/unindexed-foreign-key']) {
    const [dir, name] = rule.split('/');
    const fixture = JSON.parse(readFileSync(join(PROJECT_ROOT, 'analyzers', dir!, '__fixtures__', `${name}.json`), 'utf8')) as { reports: Record<string, ReportFinding[]> };
    for (const list of Object.values(fixture.reports)) findings.push(...list);
  }
  return {
    schemaVersion: 1,
    tool: { name: 'pgrescue', version: '0.1.0' },
    generatedAt: '2026-11-25T00:00:00.000Z',
    database: { name: 'app', serverVersion: '18.4', serverVersionNum: 180004, statsResetAt: null, statementsResetAt: null },
    capabilities: { pgStatStatements: true, hypopg: false, hypopgAvailable: false, pgStatsReadable: true, statementsAllUsers: true },
    warnings: [],
    summary: { bySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0 }, byCategory: { performance: 0, integrity: 0, security: 0 }, statementsAnalyzed: 0, statementsUnparsed: 0 },
    statements: [],
    findings,
    fixFirst: fixFirst(findings, 1000),
    ownership: [],
  } as Report;
}

describe('the table report', () => {
  for (const width of [80, 100, 120, 160]) {
    it(`fits ${width} columns, and every word of every message is there whole`, () => {
      const report = reportOf();
      assert.ok(report.findings.length >= 5);
      const text = renderTable(report, { width });
      const tableLines = text.split('\n').filter((l) => /^[│┌├└]/.test(l));
      assert.ok(tableLines.length > 0);
      for (const line of tableLines) assert.ok([...line].length <= width, `${[...line].length} > ${width}: ${line}`);
      // Words of the messages, read back from the wrapped cells: none is cut or dropped.
      const cells = tableLines.map((l) => l.split('│').slice(-2, -1)[0]?.trim() ?? '').join(' ');
      for (const f of report.findings) {
        for (const word of f.message.split(/\s+/).filter((w) => w.length > 0 && w.length < width / 3)) assert.ok(cells.includes(word), `"${word}" of ${f.id}`);
      }
    });
  }
});
