// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Box, Text } from 'ink';

const KEYS: [string, string][] = [
  ['↑ ↓ / j k', 'move, scroll'],
  ['enter', 'open the finding / confirm'],
  ['esc / backspace', 'back'],
  ['tab', 'overview ↔ findings'],
  ['space', 'select the finding'],
  ['a', 'select all in view (again: none)'],
  ['w', 'write the migration for the selection'],
  ['f', 'filter: category, severity, rule'],
  ['s', 'sort by severity / time saved'],
  ['/', 'search'],
  ['?', 'this help'],
  ['q', 'quit'],
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
