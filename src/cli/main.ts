#!/usr/bin/env node
import v8 from 'node:v8';

// libpg-query compiles its WASM parser as soon as it is imported, so this runs first: V8's baseline compiler only
// (Liftoff). The optimizing tier recompiles the parser's hot functions as a scan warms up: on 5,000 statements
// that cost about 25 MB of resident memory (a third of the 2,000-table scan's excess over 300 MB) and no speed
// (5,000 parses: 241 ms with it, 156 ms without; bench/scan-scale.ts, 2026-12-05).
v8.setFlagsFromString('--liftoff-only');
await import('./program.js');
