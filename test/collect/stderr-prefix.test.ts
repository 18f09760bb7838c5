import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseStderrLine, resetStderrPrefix } from '../../src/collect/logs/stderr-format.js';

/** The database a stderr line names, as the definition reads it: the prefix's last word `user@db`, else `db=name`. */
function definition(prefix: string): string | null {
  const at = /(?:^|\s)[^\s@]*@([^\s@]+)\s*$/.exec(prefix);
  if (at) return at[1]!;
  return /\b(?:db|database)=([^\s,]+)/.exec(prefix)?.[1] ?? null;
}

const databaseOf = (prefix: string): string | null => {
  resetStderrPrefix();
  return parseStderrLine(`${prefix}LOG:  duration: 0.041 ms  statement: SELECT 1`)?.database ?? null;
};

describe('stderr log prefixes: the database of a line', () => {
  it('reads user@db at the end of the prefix, and db=name', () => {
    assert.equal(databaseOf('2026-11-24 10:00:00.123 UTC [1000] app@community '), 'community');
    assert.equal(databaseOf('2026-11-24 10:00:00.123 UTC [1000] user=app,db=community '), 'community');
    assert.equal(databaseOf('2026-11-24 10:00:00.123 UTC [1000] '), null, 'a prefix without %d does not say');
    assert.equal(databaseOf('2026-11-24 10:00:00.123 UTC [1000] a@b@c '), null, 'two @ in the last word: not user@db');
    assert.equal(databaseOf('2026-11-24 10:00:00.123 UTC [1000] app@\u00a0'), null, 'a no-break space ends the word');
  });

  it('agrees with the regular expression that defines it on generated prefixes', () => {
    // Deterministic generator (xorshift): words of the characters that matter, in every order.
    let seed = 0x9e3779b9;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    const chars = ['a', 'p', '@', ' ', '\t', '=', 'd', 'b', ',', '\u00a0', '\u3000', '[', '1', ']'];
    for (let i = 0; i < 20_000; i++) {
      let prefix = '';
      const n = Math.floor(next() * 14);
      for (let j = 0; j < n; j++) prefix += chars[Math.floor(next() * chars.length)];
      // The line parser needs the prefix to end where the severity starts: a space, as log_line_prefix writes.
      prefix += ' ';
      assert.equal(databaseOf(prefix), definition(prefix), JSON.stringify(prefix));
    }
  });
});
