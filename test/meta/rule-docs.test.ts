import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { PROJECT_ROOT } from '../harness/cli.js';

/** How a default may be written in a page: 1000, 1,000, 0.5. */
function spellings(value: number): string[] {
  return [String(value), value.toLocaleString('en-US')];
}

/** Each rule's page (docs/rules/<id>.md) says what its meta says: category, default severity, fixable, options. */
describe('rule pages match the rules', () => {
  for (const { meta } of ANALYZERS) {
    it(meta.id, () => {
      const page = readFileSync(join(PROJECT_ROOT, 'docs', 'rules', `${meta.id}.md`), 'utf8');
      const header = page.split('\n').find((l) => l.startsWith('**Category:**')) ?? '';
      assert.match(header, new RegExp(`\\*\\*Category:\\*\\* ${meta.category}\\b`), `${meta.id}: category`);
      assert.match(header, new RegExp(`\\*\\*Default severity:\\*\\* ${meta.defaultSeverity}\\b`), `${meta.id}: default severity`);
      assert.match(header, new RegExp(`\\*\\*Fixable:\\*\\* ${meta.fixable ? 'yes' : 'no'}\\b`), `${meta.id}: fixable`);
      const declared = Object.entries(meta.options ?? {});
      for (const [name, spec] of declared) {
        const key = `${meta.id}.${name}`;
        const lines = page.split('\n').filter((l) => l.includes(`\`${key}\``));
        assert.ok(lines.length > 0, `${meta.id}: option ${key} is not documented`);
        assert.ok(lines.some((line) => spellings(spec.default).some((s) => line.includes(s))), `${meta.id}: ${key} is documented without its default ${spec.default}`);
      }
      const mentioned = [...page.matchAll(new RegExp(`\`${meta.id}\\.(\\w+)\``, 'g'))].map((m) => m[1]!);
      for (const name of mentioned) assert.ok(meta.options?.[name], `${meta.id}: the page documents ${meta.id}.${name}, which the rule does not declare`);
    });
  }
});
