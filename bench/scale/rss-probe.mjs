// Loaded with `node --import` into the benchmarked CLI: at exit, append its peak RSS (kB) to $PGRESCUE_RSS_FILE.
import { appendFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.PGRESCUE_RSS_FILE) appendFileSync(process.env.PGRESCUE_RSS_FILE, `${process.resourceUsage().maxRSS}\n`);
});
