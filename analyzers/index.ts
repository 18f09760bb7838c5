import type { Analyzer } from '../src/engine/analyzer.js';
import duplicateIndex from './indexes/duplicate-index.js';
import invalidIndex from './indexes/invalid-index.js';
import redundantIndex from './indexes/redundant-index.js';
import unindexedForeignKey from './indexes/unindexed-foreign-key.js';
import unusedIndex from './indexes/unused-index.js';
import missingIndex from './performance/missing-index.js';
import nPlusOne from './performance/n-plus-one.js';
import slowQuery from './performance/slow-query.js';
import floatMoney from './integrity/float-money.js';
import missingCheck from './integrity/missing-check.js';
import missingForeignKey from './integrity/missing-foreign-key.js';
import missingNotNull from './integrity/missing-not-null.js';
import missingUnique from './integrity/missing-unique.js';
import timestampWithoutTimeZone from './integrity/timestamp-without-time-zone.js';
import missingPrimaryKey from './schema/missing-primary-key.js';
import plaintextSecret from './security/plaintext-secret.js';
import publicGrant from './security/public-grant.js';
import rlsBypassed from './security/rls-bypassed.js';
import rlsMissing from './security/rls-missing.js';
import rlsNoPolicy from './security/rls-no-policy.js';
import rlsPermissivePolicy from './security/rls-permissive-policy.js';
import unscopedAccess from './security/unscoped-access.js';
import functionSecurity from './security/function-security.js';
import securityDefinerView from './security/security-definer-view.js';
import multiplePermissivePolicies from './security/multiple-permissive-policies.js';
import sequenceOverflow from './schema/sequence-overflow.js';

/** Every rule pgrescue runs. The meta-test fails when an analyzer file is missing here. */
export const ANALYZERS: readonly Analyzer[] = [
  missingIndex,
  slowQuery,
  nPlusOne,
  unindexedForeignKey,
  duplicateIndex,
  redundantIndex,
  unusedIndex,
  invalidIndex,
  missingPrimaryKey,
  sequenceOverflow,
  unscopedAccess,
  rlsMissing,
  rlsNoPolicy,
  rlsBypassed,
  rlsPermissivePolicy,
  multiplePermissivePolicies,
  functionSecurity,
  securityDefinerView,
  publicGrant,
  plaintextSecret,
  missingForeignKey,
  missingUnique,
  missingNotNull,
  missingCheck,
  floatMoney,
  timestampWithoutTimeZone,
];
