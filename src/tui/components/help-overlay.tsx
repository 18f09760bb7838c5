// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';

const KEYS: [string, string][] = [
  ['↑ ↓ / j k', 'move, scroll'],
  ['PgUp PgDn', 'a page up or down'],
  ['Home End / g G', 'the first or the last'],
  ['enter', 'open the finding / confirm'],
  ['esc / backspace', 'back'],
  ['tab', 'overview ↔ findings'],
  ['space', 'select the finding'],
  ['a', 'add all in view to the selection (again: remove them)'],
  ['w', 'write the migration for the selection'],
  ['f / F', 'filter: category, severity, rule (F: backwards)'],
  ['s', 'sort by severity / time saved'],
  ['/', 'search'],
  ['?', 'this help'],
  ['q / Ctrl-C', 'quit (Ctrl-C exits 130)'],
];

export function HelpOverlay() {
  return (
    <Box flexDirection="column" borderStyle="round" paddingX={1}>
      <Text bold>Keys</Text>
      {KEYS.map(([k, v]) => (
        <Text key={k}>
          {k.padEnd(16)} {v}
        </Text>
      ))}
      <Text>press any key to close</Text>
    </Box>
  );
}
