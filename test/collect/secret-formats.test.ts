import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS } from '../../src/collect/secrets.js';
import { quoteLiteral } from '../../src/sql/quote.js';
import { execSql, useEmbeddedServer } from '../harness/server.js';

// The formats as plain regular expressions (their definition), against which the faster length-and-hex
// conditions the collector runs are checked, value by value, on a real server.
const REFERENCE: Record<string, string> = {
  bcrypt: '^\\$2[abxy]?\\$[0-9]{2}\\$[./A-Za-z0-9]{53}$',
  argon2: '^\\$argon2(id|i|d)\\$',
  scrypt: '^(\\$scrypt\\$|\\$7\\$|scrypt:)',
  pbkdf2: '^(\\$pbkdf2|pbkdf2[_:$])',
  sha256Hex: '^[0-9a-fA-F]{64}$',
  sha512Hex: '^[0-9a-fA-F]{128}$',
  otherCrypt: '^\\$[0-9a-z]+\\$',
  md5OrSha1Hex: '^([0-9a-fA-F]{32}|[0-9a-fA-F]{40})$',
};

const b53 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0';
const VALUES = [
  `$2b$10$${b53}`, `$2$10$${b53}`, `$2b$10$${b53.slice(1)}`, `$2b$10$${b53}x`, `$2$10$${b53}x`, `$2y$1$${b53}x`,
  '$argon2id$v=19$m=65536', '$scrypt$ln=16', '$7$C6..', 'scrypt:32768', '$pbkdf2-sha256$29000', 'pbkdf2_sha256$260000$',
  'a'.repeat(64), 'A'.repeat(63), 'f'.repeat(128), 'f'.repeat(127) + 'g', '0'.repeat(32), '0'.repeat(40), '0'.repeat(36),
  '$6$rounds=5000$', 'hunter2', '', 'ünï', `${'a'.repeat(31)}\n`,
];

describe('secret formats', () => {
  const server = useEmbeddedServer();

  it('the collector’s conditions classify exactly as the formats’ regular expressions', async () => {
    const url = await server().createDatabase('secret_formats');
    const values = VALUES.map((v) => `(${quoteLiteral(v)})`).join(', ');
    const columns = Object.keys(REFERENCE).map((k) => `${FORMATS[k]} AS ${k}_new, v ~ ${quoteLiteral(REFERENCE[k]!)} AS ${k}_ref`).join(', ');
    const r = await execSql(url, `SELECT v, ${columns} FROM (SELECT v, length(v) AS len, v ~ '^[0-9a-fA-F]*$' AS hex FROM (VALUES ${values}) x(v)) s`);
    let matched = 0;
    for (const row of r.rows) {
      for (const k of Object.keys(REFERENCE)) {
        const ref = row[`${k.toLowerCase()}_ref`];
        assert.equal(typeof ref, 'boolean', k);
        assert.equal(row[`${k.toLowerCase()}_new`], ref, `${k} on ${JSON.stringify(row.v)}`);
        if (ref) matched++;
      }
    }
    assert.ok(matched >= 12, 'the values exercise every format');
    assert.deepEqual(Object.keys(FORMATS).sort(), Object.keys(REFERENCE).sort());
  });
});
