import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { separateStatements, soleStatement, withoutTransactionControl } from '../../src/migrate/step-sql.js';
import { ensureParser } from '../../src/sql/parser.js';
import { splitStatements } from '../../src/sql/split.js';

before(ensureParser);

const FILE = [
  '-- why; with a semicolon',
  'BEGIN;',
  "SET LOCAL lock_timeout = '2s';",
  "DO $$ BEGIN RAISE EXCEPTION 'x; COMMIT;'; END $$;",
  '/* a block; comment */ ALTER TABLE "a;b" ADD CONSTRAINT "c' + "'" + 'd" CHECK (x <> \';\') NOT VALID;',
  'COMMIT;',
  '-- tail',
  '',
].join('\n');

describe('SQL cut by the server\'s scanner (migration files for each tool)', () => {
  it('splits at top-level semicolons only: dollar quotes, strings, quoted names and comments stay whole', () => {
    const { statements, tail } = splitStatements(FILE);
    assert.deepEqual(statements.map((s) => s.kind), ['begin', 'set', 'other', 'other', 'commit']);
    assert.match(statements[2]!.text, /^DO \$\$ BEGIN RAISE EXCEPTION 'x; COMMIT;'; END \$\$;$/);
    assert.match(statements[3]!.lead, /a block; comment/);
    assert.equal(tail, '\n-- tail\n');
  });

  it('takes BEGIN and COMMIT out, keeping their comments and everything else', () => {
    const text = withoutTransactionControl(FILE);
    assert.doesNotMatch(text, /^BEGIN;$|^COMMIT;$/m);
    assert.match(text, /-- why; with a semicolon/);
    assert.match(text, /RAISE EXCEPTION 'x; COMMIT;'/);
    assert.equal(separateStatements(FILE).length, 3);
  });

  it('a no-transaction step is its one statement, the session settings dropped; two statements are refused', () => {
    const index = "-- build\nSET lock_timeout = '2s';\nSET statement_timeout = 0;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n";
    assert.equal(soleStatement(index), '-- build\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);\n');
    assert.throws(() => soleStatement(`${index}ALTER INDEX i RENAME TO j;\n`), /one statement, not 2/);
  });

  it('keeps a SQL-standard function body (BEGIN ATOMIC … END, with CASE inside) whole, as psql does', () => {
    const sql = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END; SELECT 2; END;\nCREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;\nSELECT 'end; begin';\nBEGIN;\nCOMMIT;\n";
    const { statements } = splitStatements(sql);
    assert.deepEqual(statements.map((s) => s.kind), ['other', 'other', 'other', 'begin', 'commit']);
    assert.match(statements[0]!.text, /^CREATE FUNCTION f.*SELECT 2; END;$/);
    assert.match(statements[1]!.text, /^CREATE OR REPLACE PROCEDURE p.*VALUES \(1\); END;$/);
  });
});
