// Every rule test in one process: they run on snapshot fixtures (no server), so the cost that matters is
// starting Node and compiling TypeScript, paid once here instead of once per file. Files come from run-all.mjs.
import { pathToFileURL } from 'node:url';

const files = (process.env.PGRESCUE_RULE_TESTS ?? '').split('\n').filter(Boolean);
for (const file of files) await import(pathToFileURL(file).href);
