import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../harness/cli.js';

/**
 * The layering of the product, read from its imports (what `madge --circular` would show, without the
 * dependency): each layer may import only the layers listed for it, and no import circle exists. A new
 * upward import fails here; README's layout section says why each allowance exists.
 */
const ALLOWED: Record<string, readonly string[]> = {
  model: [],
  sql: ['model'],
  io: ['model', 'sql'],
  db: ['model', 'sql'],
  derive: ['model', 'sql'],
  scope: ['model', 'sql', 'derive'],
  integrity: ['model', 'sql', 'derive', 'scope'],
  nplus1: ['model', 'sql', 'derive', 'scope'],
  advisor: ['model', 'sql', 'derive', 'scope'],
  migrate: ['model', 'sql', 'derive', 'scope', 'io'],
  collect: ['model', 'sql', 'db', 'derive', 'scope', 'integrity', 'nplus1'],
  whatif: ['model', 'sql', 'db', 'derive', 'scope', 'advisor'],
  engine: ['model', 'sql', 'derive', 'scope'],
  analyzers: ['model', 'sql', 'derive', 'scope', 'integrity', 'nplus1', 'advisor', 'migrate', 'engine'],
  render: ['model', 'sql', 'derive', 'engine'],
  demo: ['model', 'sql', 'db'],
  pipeline: ['model', 'sql', 'io', 'db', 'derive', 'collect', 'whatif', 'advisor', 'engine', 'analyzers', 'render'],
  verify: ['model', 'sql', 'io', 'db', 'derive', 'scope', 'collect', 'whatif', 'migrate', 'pipeline'],
  tui: ['model', 'sql', 'io', 'derive', 'migrate', 'engine', 'render', 'pipeline', 'db'],
  cli: ['model', 'sql', 'io', 'db', 'derive', 'collect', 'whatif', 'advisor', 'migrate', 'engine', 'analyzers', 'render', 'demo', 'pipeline', 'tui', 'scope', 'verify'],
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.startsWith('_fixtures') ? [path] : [];
  });
}

/** "src/collect/tables.ts" → "collect"; "analyzers/indexes/x.ts" → "analyzers". */
function layerOf(file: string): string {
  const parts = file.split(sep);
  return parts[0] === 'analyzers' ? 'analyzers' : parts[1]!;
}

const files = ['src', 'analyzers'].flatMap((d) => sources(join(PROJECT_ROOT, d))).map((p) => relative(PROJECT_ROOT, p));
const graph = new Map<string, string[]>();
for (const file of files) {
  const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
  const targets = [...text.matchAll(/^(?:import|export)[^'"]*from '(\.[^']+)'/gm)].map((m) => normalize(join(dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
  graph.set(file, targets.map((t) => (files.includes(t) ? t : t.replace(/\.ts$/, '.tsx'))).filter((t) => files.includes(t)));
}

describe('layers (read from the imports)', () => {
  it('every source file belongs to a known layer', () => {
    assert.deepEqual(files.filter((f) => !(layerOf(f) in ALLOWED)), []);
  });

  it('no import goes up a layer', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const t of targets) {
        const from = layerOf(file);
        const to = layerOf(t);
        if (from !== to && !ALLOWED[from]!.includes(to)) upward.push(`${file} -> ${t}`);
      }
    }
    assert.deepEqual(upward, []);
  });

  it('no import circle', () => {
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const t of graph.get(file) ?? []) visit(t, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });
});
