import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { analyzeStatement } from '../../src/sql/analyze.js';
import { ensureParser, parseTree } from '../../src/sql/parser.js';
import { repairNormalized } from '../../src/sql/repair-normalized.js';
import { safeTypeName } from '../../src/advisor/param-types.js';

before(ensureParser);

const parses = (sql: string): boolean => {
  try {
    parseTree(sql);
    return true;
  } catch {
    return false;
  }
};

describe("repairing pg_stat_statements' normalization so the planner can be given the text", () => {
  // Each text is what pg_stat_statements 1.10 (PostgreSQL 15) recorded for a statement with the literal inline.
  const cases: [string, string, RegExp][] = [
    ['SELECT EXTRACT($1 FROM ts), count(*) FROM t GROUP BY 1', 'EXTRACT field', /EXTRACT\(epoch FROM ts\)/],
    ['SELECT * FROM t WHERE ts > now() - INTERVAL $2', 'typed literal', /now\(\) - \$2::interval$/],
    ['SELECT * FROM t WHERE ts > now() - interval $1 day LIMIT $2', 'typed literal', /\$1::interval LIMIT \$2/],
    ['SELECT date $1, timestamp $2, timestamp with time zone $3 FROM t', 'typed literal', /\$1::date, \$2::timestamp, \$3::timestamptz/],
    ['SELECT amount::numeric($1,$2), CAST(n AS varchar($3)), round(x, $4) FROM t', 'type modifier', /amount::numeric, CAST\(n AS varchar\), round\(x, \$4\)/],
    ['SELECT a, count(*) FROM t GROUP BY $1 ORDER BY $2 DESC, $3 LIMIT $4', 'GROUP BY position', /GROUP BY 1 ORDER BY 1 DESC, 2 LIMIT \$4/],
  ];
  for (const [text, repair, expected] of cases) {
    it(`${repair}: ${text}`, () => {
      const r = repairNormalized(text);
      assert.ok(r.repairs.includes(repair), JSON.stringify(r));
      assert.match(r.text, expected);
      assert.ok(parses(r.text), r.text);
    });
  }

  it('leaves strings, comments, bind parameters elsewhere and window ORDER BY alone', () => {
    for (const text of ["SELECT 'INTERVAL $1', x FROM t -- EXTRACT($2 FROM y)", 'SELECT * FROM t WHERE id = $1 LIMIT $2', 'SELECT row_number() OVER (ORDER BY $1) FROM t']) {
      assert.deepEqual(repairNormalized(text), { text, repairs: [] });
    }
  });

  it('the repaired text keeps the statement shape', async () => {
    const text = 'SELECT EXTRACT($2 FROM created_at), count(*) FROM events WHERE account_id = $1 GROUP BY 1';
    const shape = analyzeStatement(repairNormalized(text).text);
    assert.ok(shape.ok && shape.shape.predicates.some((p) => p.column === 'account_id' && p.op === '='));
  });

  it('an ORDER BY on an output alias is the column behind it, or no key at all', () => {
    const alias = analyzeStatement('SELECT created_at AS "when", id FROM events WHERE account_id = $1 ORDER BY "when" DESC LIMIT 5');
    assert.ok(alias.ok);
    assert.deepEqual(alias.shape.orderBy.map((k) => k.column), ['created_at']);
    const expression = analyzeStatement('SELECT date_trunc($1, created_at) AS "timestamp", count(*) FROM events GROUP BY 1 ORDER BY "timestamp"');
    assert.ok(expression.ok);
    assert.deepEqual(expression.shape.orderBy, []);
  });

  it('takes a catalog type name into PREPARE only when it is plainly one', () => {
    assert.equal(safeTypeName('timestamp(3) without time zone'), 'timestamp without time zone');
    assert.equal(safeTypeName('character varying(255)'), 'character varying');
    assert.equal(safeTypeName('"My Enum"'), '"My Enum"');
    assert.equal(safeTypeName('public.status[]'), 'public.status[]');
    assert.equal(safeTypeName('int); DROP TABLE x; --'), null);
    assert.equal(safeTypeName('text) AS SELECT 1; --'), null);
  });
});
