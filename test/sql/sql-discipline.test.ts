import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../harness/cli.js';

/**
 * The one way to build SQL, checked on the source itself: a name from the catalog reaches SQL only through
 * src/sql/quote.ts, a query reaches the server only through src/db/session.ts (extended protocol), and
 * libpg-query is called only from src/sql. A module that builds SQL another way fails this test.
 */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) && !e.name.startsWith('_fixtures') ? [path] : [];
  });
}

const FILES = ['src', 'analyzers'].flatMap((d) => sources(join(PROJECT_ROOT, d))).map((path) => ({ path: relative(PROJECT_ROOT, path), text: readFileSync(path, 'utf8') }));
const SQL_WORD = /\b(SELECT|FROM|WHERE|CREATE|ALTER|DROP|GRANT|REVOKE|INDEX|TABLE|INSERT|UPDATE|DELETE|POLICY|GROUP BY|ORDER BY|JOIN)\b/;

function violations(test: (line: string, path: string) => boolean): string[] {
  return FILES.flatMap((f) => f.text.split('\n').flatMap((line, i) => (test(line, f.path) ? [`${f.path}:${i + 1}: ${line.trim()}`] : [])));
}

describe('SQL is built one way', () => {
  it('quoting functions are defined only in src/sql/quote.ts', () => {
    assert.deepEqual(
      violations((line, path) => /function (quoteIdent|quoteLiteral|qualified|quote_ident)\b/.test(line) && path !== join('src', 'sql', 'quote.ts')),
      [],
    );
  });

  it('no SQL text quotes an interpolated value by hand ("${…}" or \'${…}\'), except pgrescue\'s own constants', () => {
    const handQuoted = /["']\$\{(?![A-Z_]+\}|statementTimeout\})/;
    assert.deepEqual(violations((line) => SQL_WORD.test(line) && handQuoted.test(line)), []);
  });

  it('no identifier is re-quoted by a regular expression', () => {
    assert.deepEqual(violations((line) => /\.replace\(.*(quoteIdent|qualified)\(/.test(line) && !/CREATE (UNIQUE )?INDEX/.test(line)), []);
  });

  it('only src/db and the demo server hold a pg client; every other module queries through the session', () => {
    assert.deepEqual(
      violations((line, path) => /from 'pg'/.test(line) && !path.startsWith(join('src', 'db')) && !path.startsWith(join('src', 'demo'))),
      [],
    );
    const session = FILES.find((f) => f.path === join('src', 'db', 'session.ts'))!.text;
    assert.match(session, /queryMode: 'extended'/, 'the session sends every query over the extended protocol');
    assert.equal((session.match(/client\.query\(/g) ?? []).length, 1, 'and has exactly one place that sends a query');
  });

  it('libpg-query is called only from src/sql', () => {
    assert.deepEqual(violations((line, path) => /from 'libpg-query'/.test(line) && !path.startsWith(join('src', 'sql'))), []);
  });
});
