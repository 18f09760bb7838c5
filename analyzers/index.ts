import type { Analyzer } from '../src/engine/analyzer.js';
import unindexedForeignKey from './indexes/unindexed-foreign-key.js';

/** Every rule pgrescue runs. The meta-test fails when an analyzer file is missing here. */
export const ANALYZERS: readonly Analyzer[] = [unindexedForeignKey];
