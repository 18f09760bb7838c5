// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';
import type { ReportFinding, ReportStatement } from '../../model/report.js';
import { describeObject, evidenceLabel, evidenceValue, formatMs } from '../../derive/format.js';
import type { Theme } from '../theme.js';
import { Sql } from './sql.js';

interface Line {
  readonly text: string;
  readonly kind: 'title' | 'dim' | 'plain' | 'heading' | 'sql';
}

/** Hard-wrap a paragraph to the width, keeping its own line breaks. */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    let line = raw;
    while (line.length > width) {
      const cut = line.lastIndexOf(' ', width);
      const at = cut > width / 2 ? cut : width;
      out.push(line.slice(0, at));
      line = line.slice(at).replace(/^ /, '  ');
    }
    out.push(line);
  }
  return out;
}

/** All the detail as lines that fit the width, so scrolling by line keeps everything on screen at 80×24. */
export function detailLines(f: ReportFinding, width: number, top: readonly ReportStatement[] = []): Line[] {
  const advice = new Map(top.map((s) => [s.queryid, s.indexAdvice]));
  const w = Math.max(20, width - 2);
  const lines: Line[] = [];
  const add = (text: string, kind: Line['kind']): void => {
    for (const l of wrap(text, w)) lines.push({ text: l, kind });
  };
  add(`${f.severity.toUpperCase()} · ${f.title} · ${describeObject(f.object)}`, 'title');
  add(f.id, 'dim');
  add(f.message, 'plain');
  add(`Fix: ${f.remediation}`, 'plain');
  add('Evidence', 'heading');
  for (const [k, v] of Object.entries(f.evidence)) add(`  ${evidenceLabel(k)}: ${evidenceValue(v)}`, 'plain');
  for (const s of f.statements ?? []) {
    add(`Statement ${s.calls}× · ${formatMs(s.totalMs)} total · ${formatMs(s.meanMs)} mean`, 'heading');
    add(s.query.replace(/\s+/g, ' '), 'sql');
    const a = advice.get(s.queryid);
    if (a) add(`  index advisor: ${a.outcome}: ${a.reason}`, 'dim');
  }
  (f.migrations ?? []).forEach((m, i) => {
    add(`Migration ${i + 1}/${f.migrations!.length}: ${m.name} (risk ${m.risk ?? 'review'}, ${m.transactional ? 'transaction' : 'no transaction'}, lock ${m.lock}${m.destructive ? ', DESTRUCTIVE' : ''})`, 'heading');
    add(m.up.trimEnd(), 'sql');
  });
  return lines;
}

/** Screen 4: message, object, evidence, statements (highlighted), remediation and the migration SQL. */
export function FindingDetail({ finding, scroll, width, height, theme, statements = [] }: { finding: ReportFinding; scroll: number; width: number; height: number; theme: Theme; statements?: readonly ReportStatement[] }) {
  const lines = detailLines(finding, width, statements);
  const rows = Math.max(3, height - 2);
  const start = Math.min(scroll, Math.max(0, lines.length - rows));
  return (
    <Box flexDirection="column" paddingX={1}>
      {lines.slice(start, start + rows).map((l, i) =>
        l.kind === 'sql' ? (
          <Sql key={i} text={l.text} theme={theme} />
        ) : (
          <Text key={i} bold={l.kind === 'title' || l.kind === 'heading'} color={l.kind === 'title' ? theme.severity(finding.severity) : undefined} dimColor={l.kind === 'dim' && theme.dim} wrap="truncate-end">
            {l.text}
          </Text>
        ),
      )}
      <Text dimColor={theme.dim}>
        {start + rows < lines.length ? `↓ ${lines.length - start - rows} more · ` : ''}↑↓/jk scroll · space select · esc back · q quit
      </Text>
    </Box>
  );
}
