// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';
import type { ReportFinding } from '../../model/report.js';
import { describeObject, oneLine } from '../../derive/format.js';
import type { Theme } from '../theme.js';
import type { ListFilter, SortOrder } from '../view-model.js';
import { describeFilter, windowAround } from '../view-model.js';

/** Screen 3: one line per finding, sortable, filterable, searchable; selection marks. */
export function FindingsList({
  findings,
  cursor,
  selected,
  filter,
  sort,
  searching,
  width,
  height,
  theme,
}: {
  findings: readonly ReportFinding[];
  cursor: number;
  selected: ReadonlySet<string>;
  filter: ListFilter;
  sort: SortOrder;
  searching: boolean;
  width: number;
  height: number;
  theme: Theme;
}) {
  const rows = Math.max(3, height - 5);
  const { start, end } = windowAround(findings.length, cursor, rows);
  const textWidth = Math.max(20, width - 4);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>
        Findings: {findings.length} · {describeFilter(filter)} · sorted by {sort === 'severity' ? 'severity' : 'time saved'} · {selected.size} selected
      </Text>
      {findings.length === 0 ? <Text>No finding matches. Press f to change the filter, / to search.</Text> : null}
      {findings.slice(start, end).map((f, i) => {
        const index = start + i;
        const line = `${selected.has(f.id) ? '[x]' : '[ ]'} ${f.severity.padEnd(8)} ${f.rule.padEnd(24)} ${describeObject(f.object)} — ${f.message}`;
        return (
          <Text key={f.id} inverse={index === cursor} color={index === cursor ? undefined : theme.severity(f.severity)} wrap="truncate-end">
            {oneLine(line, textWidth)}
          </Text>
        );
      })}
      <Text dimColor={theme.dim}>
        {searching ? `search: ${filter.search}█ (enter to apply, esc to clear)` : '↑↓/jk move · enter open · space select · a all · w write migration · f filter · s sort · / search · esc back · ? help'}
      </Text>
    </Box>
  );
}
