// Node 20's test runner takes no globs: find every *.test.ts under test/, analyzers/ and src/ and run them.
// The rule tests (analyzers/, snapshot fixtures, no server) run together in one process (test/rule-suite.ts);
// every other test file gets its own process, one at a time, as each may start a real PostgreSQL server.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : find(path);
    return entry.name.endsWith('.test.ts') || entry.name.endsWith('.test.tsx') ? [path] : [];
  });
}

const args = process.argv.slice(2);
const rulesOnly = args.includes('--rules');
const filter = args.filter((a) => a !== '--rules');
const files = ['test', 'analyzers', 'src'].flatMap(find).filter((f) => filter.length === 0 || filter.some((x) => f.includes(x))).sort();
const rules = files.filter((f) => f.startsWith('analyzers'));
const others = rulesOnly ? [] : files.filter((f) => !f.startsWith('analyzers'));
const entries = [...(rules.length > 0 ? [join('test', 'rule-suite.ts')] : []), ...others];
if (entries.length === 0) {
  // node --test with no file would run its own discovery over every file, in parallel.
  console.error(`no test file matches ${filter.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...entries], {
  stdio: 'inherit',
  env: { ...process.env, PGRESCUE_RULE_TESTS: rules.join('\n') },
});
process.exit(result.status ?? 1);
