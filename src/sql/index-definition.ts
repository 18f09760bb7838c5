import { scanSync } from 'libpg-query';
import { quoteIdent } from './quote.js';

/**
 * `pg_get_indexdef` output rewritten to build concurrently and idempotently under `name`:
 * CREATE [UNIQUE] INDEX CONCURRENTLY IF NOT EXISTS <name> ON … . The server's own index name is found as a
 * token by the SQL scanner (quoted or not, whatever it holds), never by a pattern over the text.
 */
export function concurrentIndexDefinition(definition: string, name: string): string {
  // Token offsets are byte offsets into the UTF-8 text.
  const bytes = Buffer.from(definition, 'utf8');
  const tokens = scanSync(definition).tokens;
  const words = tokens.map((t) => bytes.subarray(t.start, t.end).toString('utf8').toUpperCase());
  const unique = words[1] === 'UNIQUE';
  const nameToken = tokens[unique ? 3 : 2];
  if (words[0] !== 'CREATE' || words[unique ? 2 : 1] !== 'INDEX' || !nameToken || words[(unique ? 3 : 2) + 1] !== 'ON') {
    throw new Error(`not an index definition: ${definition.slice(0, 60)}`);
  }
  return `CREATE ${unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY IF NOT EXISTS ${quoteIdent(name)}${bytes.subarray(nameToken.end).toString('utf8')};`;
}
