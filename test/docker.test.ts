import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { demoSqlFile } from '../src/demo/demo-sql-file.js';
import { PROJECT_ROOT } from './harness/cli.js';

it('docker/initdb/01-demo.sql is the current demo database (npm run docker:sql)', () => {
  assert.equal(readFileSync(join(PROJECT_ROOT, 'docker/initdb/01-demo.sql'), 'utf8'), demoSqlFile());
});
