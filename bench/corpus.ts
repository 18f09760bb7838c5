/**
 * Precision on real applications' schemas (issue: right on real schemas). Loads each schema of ../shared/corpus
 * (see its README; used in place, never copied) into an embedded PostgreSQL, scans it with every rule, and prints
 * the findings per rule and how many are in schemas a platform manages (auth, storage…: the target is 0).
 * Run: npx tsx bench/corpus.ts [name ...]   (skips with a message when ../shared/corpus is absent)
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbedded } from '../src/demo/embedded-server.js';
import { loadCorpus } from '../test/harness/corpus.js';
import { obtainScan } from '../src/pipeline/source.js';
import { buildReport } from '../src/pipeline/report-output.js';
import { platformOwner } from '../src/scope/platform.js';

const CORPUS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus');

async function main(): Promise<void> {
  if (!existsSync(join(CORPUS, 'roles.sql'))) {
    console.error(`bench/corpus: ${CORPUS} is not on this machine: nothing to measure`);
    return;
  }
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : readdirSync(CORPUS).filter((n) => existsSync(join(CORPUS, n, 'schema.sql'))).sort();
  const server = await startEmbedded();
  const perRule = new Map<string, Map<string, number>>();
  const rows: string[] = [];
  try {
    for (const name of names) {
      const url = await loadCorpus(server, name);
      const started = performance.now();
      const scan = await obtainScan({ url });
      const report = await buildReport(scan, []);
      const ms = performance.now() - started;
      const platform = report.findings.filter((f) => platformOwner(f.object.schema, f.object.table) !== null).length;
      for (const f of report.findings) {
        const m = perRule.get(f.rule) ?? new Map<string, number>();
        m.set(name, (m.get(name) ?? 0) + 1);
        perRule.set(f.rule, m);
      }
      rows.push(`| ${name} | ${scan.snapshot.tables.length} | ${report.findings.length} | ${platform} | ${(ms / 1000).toFixed(1)} |`);
      console.error(rows.at(-1));
    }
  } finally {
    await server.stop();
  }
  console.log('| schema | tables | findings | in platform schemas | scan s |');
  console.log('|---|---:|---:|---:|---:|');
  for (const r of rows) console.log(r);
  console.log(`\n| rule | ${names.join(' | ')} |`);
  console.log(`|---|${names.map(() => '---:').join('|')}|`);
  for (const [rule, counts] of [...perRule].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`| ${rule} | ${names.map((n) => counts.get(n) ?? 0).join(' | ')} |`);
}

await main();
