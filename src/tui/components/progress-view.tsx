// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';
import type { ProgressEvent } from '../../model/progress.js';
import type { Theme } from '../theme.js';

import type { ProgressLine } from '../state.js';

export type { ProgressLine };

/** Screen 1: each collection step with its count and time, live; an error in place with its fix. */
export function ProgressView({ target, lines, elapsedMs, error, theme }: { target: string; lines: readonly ProgressLine[]; elapsedMs: number; error: string | null; theme: Theme }) {
  const latest = new Map<string, ProgressLine>();
  for (const l of lines) latest.set(l.step, l);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>pgrescue · {target}</Text>
      <Text>Collecting (read-only) … {(elapsedMs / 1000).toFixed(1)} s</Text>
      <Box flexDirection="column" marginTop={1}>
        {[...latest.values()].map((l) => (
          <Text key={l.step}>
            {l.state === 'done' ? <Text color={theme.ok}>✓</Text> : l.state === 'failed' ? <Text color={theme.error}>✗</Text> : '…'} {l.step}
            {l.count !== undefined ? ` (${l.count})` : ''}
            {l.elapsedMs !== undefined ? ` ${l.elapsedMs} ms` : ''}
          </Text>
        ))}
      </Box>
      {error ? (
        <Box marginTop={1} flexDirection="column">
          <Text color={theme.error}>{error}</Text>
          <Text>Press q to quit.</Text>
        </Box>
      ) : null}
    </Box>
  );
}
