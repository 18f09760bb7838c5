// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';
import type { Theme } from '../theme.js';

import type { WriteState } from '../state.js';

export type { WriteState };

/** Screen 5: confirm the directory, then show the files written (or the error). */
export function WriteView({ state, theme }: { state: WriteState; theme: Theme }) {
  return (
    <Box flexDirection="column" paddingX={1}>
      {state.phase === 'confirm' ? (
        <>
          <Text bold>Write the migration for {state.count} selected finding(s)</Text>
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
            {state.files.length} file(s) written:
          </Text>
          {state.files.map((f) => (
            <Text key={f} wrap="truncate-start">
              {f}
            </Text>
          ))}
          <Text dimColor={theme.dim}>esc back · q quit</Text>
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
