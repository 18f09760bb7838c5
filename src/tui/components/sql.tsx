// The classic JSX runtime under tsx needs React in scope; tsc itself uses react-jsx.
import React from 'react';
import { Text } from 'ink';
import type { Theme } from '../theme.js';

const KEYWORDS = new Set(
  'select from where and or not in is null join left right inner outer on group by order limit offset having as insert into values update set delete returning with create index concurrently if exists drop alter table add constraint foreign key references primary unique check validate valid begin commit distinct count any all exists case when then else end desc asc using policy enable row level security force grant revoke to'.split(' '),
);

/** Normalized SQL with its keywords highlighted (plain when colors are off). */
export function Sql({ text, theme }: { text: string; theme: Theme }) {
  const parts = text.split(/(\b[A-Za-z_]+\b)/);
  return (
    <Text wrap="truncate-end">
      {parts.map((part, i) =>
        KEYWORDS.has(part.toLowerCase()) ? (
          <Text key={i} color={theme.keyword} bold={theme.keyword !== undefined}>
            {part}
          </Text>
        ) : (
          part
        ),
      )}
    </Text>
  );
}
