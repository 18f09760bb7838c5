import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { ANALYZERS } from '../../analyzers/index.js';
import { CATEGORIES } from '../../src/model/severity.js';
import { PROJECT_ROOT } from '../harness/cli.js';

function analyzerFiles(): string[] {
  const root = join(PROJECT_ROOT, 'analyzers');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_'))
    .flatMap((d) => readdirSync(join(root, d.name)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('_')).map((f) => join(root, d.name, f)));
}

/** The design's rule ids: part of the JSON contract. */
const CONTRACT_RULES = `missing-index slow-query unindexed-foreign-key duplicate-index redundant-index unused-index invalid-index
missing-primary-key sequence-overflow n-plus-one unscoped-access rls-missing rls-no-policy rls-bypassed rls-permissive-policy
public-grant plaintext-secret missing-foreign-key missing-unique missing-not-null missing-check float-money
timestamp-without-time-zone
function-security multiple-permissive-policies security-definer-view`.split(/\s+/); // the last three extend the design's list: splinter's checks (issue 15)

describe('every analyzer is registered, tested and documented', () => {
  const files = analyzerFiles();

  it('finds analyzer files', () => assert.ok(files.length >= 1));

  for (const file of files) {
    const id = basename(file, '.ts');
    it(`${id}: registered, id equals file name, has tests and docs`, () => {
      const analyzer = ANALYZERS.find((a) => a.meta.id === id);
      assert.ok(analyzer, `${id} is not in analyzers/index.ts`);
      assert.ok(existsSync(file.replace(/\.ts$/, '.test.ts')), `${id} has no ${id}.test.ts beside it`);
      const doc = join(PROJECT_ROOT, 'docs', 'rules', `${id}.md`);
      assert.ok(existsSync(doc), `${id} has no docs/rules/${id}.md`);
      assert.match(readFileSync(doc, 'utf8'), new RegExp(`^# ${id}\\b`), 'the doc starts with the rule id');
      assert.ok(CATEGORIES.includes(analyzer.meta.category));
      assert.ok(CONTRACT_RULES.includes(id), `${id} is not a rule id of the design; document the new id there`);
      assert.ok(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8').includes(`\`${id}\``), `README does not describe ${id}`);
    });
  }

  it('no analyzer is registered twice or without a file', () => {
    const ids = ANALYZERS.map((a) => a.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    const fileIds = files.map((f) => basename(f, '.ts'));
    for (const id of ids) assert.ok(fileIds.includes(id), `${id} has no analyzer file`);
  });
});
