import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { isLabel } from '../../src/collect/labels.js';
import { Session } from '../../src/db/session.js';
import { resolveConnection } from '../../src/db/connection-options.js';
import { displaySafe } from '../../src/render/display-safe.js';
import { safeJson, safeJsonChunks } from '../../src/render/safe-json.js';
import { commentLine } from '../../src/sql/comment.js';
import { concurrentIndexDefinition } from '../../src/sql/index-definition.js';
import { calledFunctions, safeStatementText } from '../../src/sql/normalize.js';
import { ensureParser, parseTree } from '../../src/sql/parser.js';
import { quoteIdent, quoteLiteral, regclassLiteral } from '../../src/sql/quote.js';
import { useEmbeddedServer } from '../harness/server.js';

const HOSTILE = [
  'plain',
  'select',
  'MixedCase',
  'a"b',
  "it's",
  'semi;colon -- dash /* open */ close',
  'new\nline',
  'carriage\rreturn',
  'back\\slash',
  '\u001b]0;title\u0007\u001b[2J',
  'ünïcødé 表 \u202eevil',
  'x'.repeat(63),
  '$1',
  'e$dollar',
];

describe('names and values from the database as data', () => {
  before(ensureParser);

  it('comment lines stay one comment, whatever the text', () => {
    for (const text of HOSTILE) {
      const line = commentLine(`about ${text}; DROP TABLE t;`);
      assert.equal(line.split('\n').length, 1, JSON.stringify(text));
      assert.ok(!/[\r\u001b]/.test(line));
      assert.equal(parseTree(`${line}\nSELECT 1;`).stmts?.length, 1, JSON.stringify(text));
      assert.equal(parseTree(`/* ${commentLine(`${text} */ DROP TABLE t; /*`)} */ SELECT 1;`).stmts?.length, 1);
    }
  });

  it('statement texts: DML keeps its shape with literals as parameters; utility statements are reduced to their kind', () => {
    assert.equal(safeStatementText("SELECT * FROM t WHERE a = $1 AND b = 'x'").text, 'SELECT * FROM t WHERE a = $1 AND b = $2');
    for (const secret of ["CREATE ROLE r PASSWORD 'pw'", "ALTER USER r WITH PASSWORD 'pw'", "CREATE USER MAPPING FOR r SERVER s OPTIONS (password 'pw')", "ALTER SYSTEM SET x = 'pw'", "COPY t FROM PROGRAM 'pw'", "DO $$ BEGIN PERFORM 'pw'; END $$", "SET app.key = 'pw'", "CREATE SUBSCRIPTION s CONNECTION 'password=pw' PUBLICATION p"]) {
      const r = safeStatementText(secret);
      assert.equal(r.withheld, true, secret);
      assert.doesNotMatch(r.text, /pw/, secret);
    }
    assert.doesNotMatch(safeStatementText("EXPLAIN ANALYZE SELECT * FROM t WHERE pw = 'hunter2'").text, /hunter2/);
    // Unparseable (pg_stat_statements normalization can break grammar): literal tokens still go, multibyte-safe.
    const broken = safeStatementText("SELECT 'ï' FROM t WHERE x = 'sécret' AND (");
    assert.equal(broken.text, 'SELECT $0 FROM t WHERE x = $0 AND (');
  });

  it('called functions keep their schema when qualified (the advisor guard matches on it)', () => {
    assert.deepEqual(calledFunctions('SELECT pg_catalog.lower(x), public.g(), h() FROM t'), [
      { schema: 'pg_catalog', name: 'lower' },
      { schema: 'public', name: 'g' },
      { schema: null, name: 'h' },
    ]);
  });

  it('enum values are shown only when they look like labels', () => {
    for (const v of ['active', 'past_due', 'Gold plan', 'v2', 'monthly']) assert.ok(isLabel(v), v);
    for (const v of ['4111111111111111', 'ann@example.com', 'https://x.io/a', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc', "x'); DROP TABLE t; --", 'a\nb', '']) assert.ok(!isLabel(v), v);
  });

  it('human output and JSON carry no control character; JSON parses back to the same value', () => {
    const value = { name: HOSTILE.join('|'), up: 'SELECT 1;\nSELECT 2;' };
    const shown = displaySafe(value);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(shown.name));
    assert.equal(shown.up, value.up, 'SQL keeps its newlines');
    const json = safeJson(value);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/.test(json));
    assert.deepEqual(JSON.parse(json), value);
  });

  it('the streamed JSON writer gives the value safeJson gives, one streamed element per line, escaped alike', () => {
    const cases: object[] = [
      {},
      { findings: [] },
      { a: 1, findings: [{ name: HOSTILE.join('|'), nested: { list: [1, 'x', null], empty: {} } }, undefined, { b: [] }], z: { deep: [{ k: 'v\u2028' }] }, skip: undefined },
      { [HOSTILE[0]!]: 'key from the database', findings: ['plain', 2, true, null] },
    ];
    for (const value of cases) {
      const text = [...safeJsonChunks(value, ['findings', 'z'])].join('');
      assert.deepEqual(JSON.parse(text), JSON.parse(safeJson(value)), JSON.stringify(value));
      assert.ok(!/[\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(text), 'no raw unprintable character');
      const findings = (value as { findings?: unknown[] }).findings ?? [];
      if (findings.length > 0) {
        const lines = text.split('\n');
        const from = lines.indexOf('  "findings": [');
        const to = lines.findIndex((l, i) => i > from && l.startsWith('  ]'));
        assert.equal(to - from - 1, findings.length, 'one line per element');
      }
    }
  });

  it('index definitions are rewritten by tokens, whatever the index name holds', () => {
    assert.equal(concurrentIndexDefinition('CREATE UNIQUE INDEX "a "" ON ï" ON public.t USING btree (x)', 'n'), 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS n ON public.t USING btree (x);');
  });
});

describe('quoting round-trips through a real server', () => {
  const server = useEmbeddedServer();

  it('quoteIdent, quoteLiteral and regclassLiteral give back exactly the name or value', async () => {
    const session = await Session.open(resolveConnection(server().url()));
    try {
      for (const text of HOSTILE) {
        const [row] = await session.query<Record<string, string>>(`SELECT ${quoteLiteral(text)} AS ${quoteIdent(text)}`);
        assert.deepEqual(row, { [text]: text }, JSON.stringify(text));
      }
      const [reg] = await session.query<{ r: string }>(`SELECT ${regclassLiteral('pg_catalog', 'pg_class')}::text AS r`);
      assert.equal(reg?.r, 'pg_class');
    } finally {
      await session.close();
    }
  });
});

describe('partial-index predicates', () => {
  it('an IS NOT NULL predicate (quoted names, conjunctions) names the columns an equality lookup implies; anything else none', async () => {
    const { ensureParser } = await import('../../src/sql/parser.js');
    const { notNullColumns } = await import('../../src/sql/predicate.js');
    await ensureParser();
    assert.deepEqual([...(notNullColumns('(user_id IS NOT NULL)') ?? [])], ['user_id']);
    assert.deepEqual([...(notNullColumns('("inviterId" IS NOT NULL)') ?? [])], ['inviterId']);
    assert.deepEqual([...(notNullColumns('((a IS NOT NULL) AND (b IS NOT NULL))') ?? [])].sort(), ['a', 'b']);
    for (const other of ['(deleted_at IS NULL)', '((a IS NOT NULL) OR (b IS NOT NULL))', "(status = 'active'::text)", '(t.a IS NOT NULL)', 'not sql at all (']) {
      assert.equal(notNullColumns(other), null, other);
    }
  });
});
