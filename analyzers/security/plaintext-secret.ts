import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';
import { confirmHint } from '../../src/model/finding.js';
import { quoteIdent } from '../../src/sql/quote.js';
import type { Severity } from '../../src/model/severity.js';

const STRONG = ['bcrypt', 'argon2', 'scrypt', 'pbkdf2', 'otherCrypt'];
const FAST_HASHES = ['sha256Hex', 'sha512Hex'];

/** Keys the app must use as they are (to sign, verify or decrypt): hashing them would break the app. */
const SIGNING_KEY = /(jwt|signing|webhook|hmac|encryption|encrypt|private|client|app)_?(secret|key)$|^secret_?key$|_private_key$/i;

export default defineAnalyzer(
  {
    id: 'plaintext-secret',
    title: 'Secret stored in plain text',
    category: 'security',
    defaultSeverity: 'critical',
    requires: [],
    fixable: false,
    description: 'Password, secret, token or API-key columns whose values do not look hashed, judged on a bounded sample; counts only, never a value.',
  },
  ({ snapshot, scan }) => {
    const findings: FindingDraft[] = [];
    for (const s of snapshot.secretSamples) {
      if (s.failure) {
        // The sample could not be read: the column's name is the only evidence, so say so instead of staying silent.
        findings.push({
          key: s.column,
          severity: 'medium',
          message: `${s.schema}.${s.table}.${s.column} is named like a secret, but whether its values are hashed is unconfirmed: ${confirmHint(s.failure, quoteIdent(snapshot.database.currentUser))}.`,
          object: { schema: s.schema, table: s.table, columns: [s.column] },
          evidence: { sampled: 0, failure: s.failure },
          remediation: `Confirm with a scan that can read ${s.schema}.${s.table}; store secrets as a slow salted hash (passwords) or a SHA-256 of a random token.`,
          confidence: 'unconfirmed',
        });
        continue;
      }
      if (s.sampled === 0) continue;
      const strong = STRONG.reduce((n, k) => n + (s.byPattern[k] ?? 0), 0);
      const fast = FAST_HASHES.reduce((n, k) => n + (s.byPattern[k] ?? 0), 0);
      const weak = s.byPattern.md5OrSha1Hex ?? 0;
      const plain = Math.max(0, s.sampled - strong - fast - weak);
      const password = /pass/i.test(s.column);
      if (SIGNING_KEY.test(s.column) && !password) {
        // A key to sign or decrypt with: hex is just its encoding, and a hash of it would be useless to the app.
        const readable = s.sampled - strong;
        if (readable === 0) continue;
        findings.push({
          key: s.column,
          severity: 'high',
          message: `${s.schema}.${s.table}.${s.column}: ${readable} of ${s.sampled} sampled values are a key the app uses as it is (to sign or decrypt). Anyone who reads this table can sign tokens or read data as the app. Hashing cannot fix this: the app needs the key itself.`,
          object: { schema: s.schema, table: s.table, columns: [s.column] },
          evidence: { sampled: s.sampled, usableKeys: readable, kind: 'signing-or-encryption-key', sampleLimit: 200, byPattern: { ...s.byPattern } },
          remediation: `Move ${s.column} out of the table into the platform's secret store (environment, KMS, Supabase Vault), or encrypt it at rest with a key the database does not hold; then revoke table access for roles that do not need it and rotate the key.`,
          confidence: 'sampled',
        });
        continue;
      }
      // Tokens and API keys may be stored as a fast hash (sha-256) of a random value; passwords may not.
      const unsafe = plain + weak + (password ? fast : 0);
      if (unsafe === 0) continue;
      const severity: Severity = password ? 'critical' : 'high';
      findings.push({
        key: s.column,
        severity,
        message: `${s.schema}.${s.table}.${s.column}: ${unsafe} of ${s.sampled} sampled values ${plain > 0 ? 'do not look hashed' : 'use a fast unsalted hash'}${weak > 0 && plain > 0 ? ` (${weak} are unsalted MD5/SHA-1)` : ''}. Anyone who reads this table — a leaked backup, a SQL injection, an over-broad grant — ${password ? 'has the passwords' : 'can use the tokens'} as they are.`,
        object: { schema: s.schema, table: s.table, columns: [s.column] },
        evidence: { sampled: s.sampled, notHashed: plain, md5OrSha1: weak, fastHash: fast, strongHash: strong, sampleLimit: 200, byPattern: { ...s.byPattern } },
        remediation: password
          ? `Store a slow, salted hash (argon2id or bcrypt) and compare with it; re-hash each password at the next sign-in and force a reset for the rest.`
          : `Store a SHA-256 hash of each ${s.column} and look it up by hash; the raw value is shown to the user once, never stored. Rotate the existing ones.`,
        confidence: 'sampled',
      });
    }
    return findings;
  },
);
