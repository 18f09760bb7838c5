// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';
import type { Report } from '../../model/report.js';
import { CATEGORIES, SEVERITIES } from '../../model/severity.js';
import { formatMs, oneLine } from '../../derive/format.js';
import type { Theme } from '../theme.js';
import { nextCommand, planItemText } from '../../render/fix-first.js';

/** Screen 2: the database, capabilities and warnings, findings by severity and category, the top statements. */
export function Overview({ report, width, height, theme }: { report: Report; width: number; height: number; theme: Theme }) {
  const total = report.statements.reduce((s, x) => s + x.totalMs, 0) || 1;
  const barWidth = 12;
  // The fix-first plan comes first; the top statements get what room is left.
  const planRows = Math.min(report.fixFirst.length, Math.max(2, Math.floor((height - 14) / 2)));
  const rows = Math.max(3, height - 14 - planRows - Math.min(report.warnings.length, 3));
  const queryWidth = Math.max(20, width - barWidth - 36);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>
        {report.database.name} · PostgreSQL {report.database.serverVersion} · {report.findings.length} findings
      </Text>
      <Text>
        pg_stat_statements {report.capabilities.pgStatStatements ? 'yes' : 'no'} · HypoPG {report.capabilities.hypopg ? 'yes' : 'no (index advice unverified)'} ·{' '}
        {report.summary.statementsAnalyzed} statements
      </Text>
      {report.warnings.slice(0, 3).map((w, i) => (
        <Text key={i} color={theme.severity('medium')} wrap="truncate-end">
          ! {w.message}
        </Text>
      ))}
      <Box marginTop={1}>
        <Text>
          {SEVERITIES.map((s) => (
            <Text key={s} color={theme.severity(s)}>
              {report.summary.bySeverity[s]} {s}
              {'  '}
            </Text>
          ))}
        </Text>
      </Box>
      <Text>{CATEGORIES.map((c) => `${report.summary.byCategory[c]} ${c}`).join('  ')}</Text>
      {planRows > 0 ? (
        <Box marginTop={1} flexDirection="column">
          <Text bold>Fix first ({report.fixFirst.length} causes, most database time first)</Text>
          {report.fixFirst.slice(0, planRows).map((item) => (
            <Text key={item.rank} wrap="truncate-end">
              {planItemText(item)}
            </Text>
          ))}
          <Text dimColor={theme.dim} wrap="truncate-end">
            {nextCommand(report)} In this UI: pick findings in the list, w writes them.
          </Text>
        </Box>
      ) : null}
      <Box marginTop={1} flexDirection="column">
        <Text bold>Top statements by total time (p95 estimated)</Text>
        {report.statements.slice(0, rows).map((s) => {
          const share = s.totalMs / total;
          const filled = Math.round(share * barWidth);
          return (
            <Text key={s.queryid} wrap="truncate-end">
              <Text color={theme.accent}>{'█'.repeat(filled)}</Text>
              {'░'.repeat(barWidth - filled)} {formatMs(s.totalMs).padStart(8)} {String(s.calls).padStart(6)}× {formatMs(s.meanMs).padStart(8)} p95 {formatMs(s.p95EstimateMs).padStart(8)} {oneLine(s.query, queryWidth)}
            </Text>
          );
        })}
      </Box>
      <Box marginTop={1}>
        <Text dimColor={theme.dim}>tab/enter findings · ? help · q quit</Text>
      </Box>
    </Box>
  );
}
