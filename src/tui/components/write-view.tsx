// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';
import { wrap } from './finding-detail.js';

import type { WriteState } from '../state.js';

export type { WriteState };

/** Screen 5: confirm the directory, then show the files written (or the error). */
export function WriteView({ state, theme, scroll, width, height }: { state: WriteState; theme: Theme; scroll: number; width: number; height: number }) {
  // Every written path and instruction, wrapped (never cut) and scrolled by line.
  const lines = state.phase === 'done' ? state.files.flatMap((f) => wrap(f, Math.max(20, width - 2))) : [];
  const rows = Math.max(3, height - 3);
  const written = state.phase === 'done' ? state.files.filter((f) => !f.startsWith('to apply:') && !f.includes('(already there')).length : 0;
  const start = Math.min(scroll, Math.max(0, lines.length - rows));
  return (
    <Box flexDirection="column" paddingX={1}>
      {state.phase === 'confirm' ? (
        <>
          <Text bold>Write the migration for {state.count} selected {state.count === 1 ? 'finding' : 'findings'}</Text>
          <Text>
            Directory: <Text color={theme.accent}>{state.dir}</Text>█
          </Text>
          <Text dimColor={theme.dim}>type to edit · enter to write · esc to cancel</Text>
        </>
      ) : state.phase === 'writing' ? (
        <Text>Writing to {state.dir} …</Text>
      ) : state.phase === 'done' ? (
        <>
          <Text color={theme.ok} bold>
            {written} {written === 1 ? 'file' : 'files'} written:
          </Text>
          {lines.slice(start, start + rows).map((line, i) => (
            <Text key={start + i}>{line}</Text>
          ))}
          <Text dimColor={theme.dim}>
            {start + rows < lines.length ? `↓ ${lines.length - start - rows} more · ` : ''}↑↓/jk PgUp/PgDn scroll · esc back · q quit
          </Text>
        </>
      ) : (
        <>
          <Text color={theme.error}>{state.message}</Text>
          <Text dimColor={theme.dim}>esc back · q quit</Text>
        </>
      )}
    </Box>
  );
}
