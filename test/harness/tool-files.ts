import assert from 'node:assert/strict';
import ts from 'typescript';

/** String constants the wrappers themselves hold besides SQL. */
const WRAPPER_STRINGS = new Set(['knex', 'kysely', 'this migration builds an index CONCURRENTLY, which cannot run in a transaction: create the Migrator with disableTransactions: true']);

/**
 * The SQL a migration tool would run from one of pgrescue's files, read the way the tool reads it; fails when the
 * file holds anything else (a name that escaped a string literal, a heredoc or a marker would show up here).
 */
export function sqlInToolFile(name: string, text: string): string[] {
  if (name.endsWith('.rb')) return rubySql(name, text);
  if (/\.(js|mjs|cjs|ts)$/.test(name)) return scriptSql(name, text);
  if (name.endsWith('.conf')) {
    assert.equal(text, 'executeInTransaction=false\n', name);
    return [];
  }
  if (name.endsWith('.json')) return [];
  const markers = text.split('\n').filter((l) => /^--\s*migrate:/.test(l));
  if (markers.length > 0) {
    assert.equal(markers.length, 2, `${name}: one -- migrate:up and one -- migrate:down`);
    return text.split(/^--\s*migrate:.*$/m).slice(1);
  }
  assert.ok(!/^-->/m.test(text), `${name}: a drizzle breakpoint`);
  return [text];
}

function rubySql(name: string, text: string): string[] {
  const sql: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*execute <<~'PGRESCUE_SQL'$/.test(line)) {
      const body: string[] = [];
      while (lines[++i] !== undefined && !/^\s*PGRESCUE_SQL$/.test(lines[i]!)) body.push(lines[i]!);
      assert.ok(lines[i] !== undefined, `${name}: an unterminated heredoc`);
      // <<~ strips the common indentation, as Ruby does.
      const indent = Math.min(...body.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
      sql.push(body.map((l) => l.slice(indent)).join('\n'));
      continue;
    }
    assert.match(line, /^(#.*|class Pgrescue[A-Za-z0-9]+ < ActiveRecord::Migration\[7\.0\]|  disable_ddl_transaction!|  def (up|down)|  end|end|)$/, `${name}: unexpected Ruby line ${JSON.stringify(line)}`);
  }
  return sql;
}

function scriptSql(name: string, text: string): string[] {
  const source = ts.createSourceFile(name, text, ts.ScriptTarget.ES2022, true, name.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const diagnostics = (source as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  assert.deepEqual(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')), [], `${name}: parses`);
  const sql: string[] = [];
  const visit = (node: ts.Node): void => {
    assert.ok(!ts.isTemplateExpression(node) && !ts.isNoSubstitutionTemplateLiteral(node), `${name}: a template literal`);
    if (ts.isStringLiteral(node) && !ts.isImportDeclaration(node.parent)) {
      if (!WRAPPER_STRINGS.has(node.text)) sql.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sql;
}
