import type { Config } from '../model/config.js';
import { EMPTY_CONFIG } from '../model/config.js';
import { readFile } from 'node:fs/promises';
import { UserError } from '../model/user-error.js';

/**
 * pgrescue.config.json: rule options (`"<rule>.<option>": value`) and findings to ignore (finding ids, or
 * whole rule ids). Looked up in the working directory unless --config names a file.
 */
export const CONFIG_FILE = 'pgrescue.config.json';

export async function loadConfig(path: string | undefined): Promise<Config> {
  const file = path ?? CONFIG_FILE;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (!path && (error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    const code = (error as NodeJS.ErrnoException).code;
    throw new UserError(`pgrescue: cannot read config ${file}: ${code === 'ENOENT' ? 'no such file' : code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`pgrescue: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new UserError(`pgrescue: ${file} must hold a JSON object`);
  const { options = {}, ignore = [], ...rest } = data as { options?: unknown; ignore?: unknown };
  const known = ['owners', 'publicTables', 'appRole', 'budget', 'includePlatform'];
  const unknown = Object.keys(rest).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new UserError(`pgrescue: ${file}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (expected options, ignore, owners, publicTables, appRole, budget, includePlatform)`);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new UserError(`pgrescue: ${file}: "options" must be an object of "<rule>.<option>": value`);
  for (const [k, v] of Object.entries(options)) {
    if (!/^[a-z0-9-]+\.[A-Za-z0-9]+$/.test(k)) throw new UserError(`pgrescue: ${file}: option "${k}" must look like "<rule>.<option>"`);
    if (!['number', 'string', 'boolean'].includes(typeof v)) throw new UserError(`pgrescue: ${file}: option "${k}" must be a number, string or boolean`);
  }
  if (!Array.isArray(ignore) || ignore.some((i) => typeof i !== 'string')) throw new UserError(`pgrescue: ${file}: "ignore" must be a list of finding ids or rule ids`);
  const { owners, publicTables, appRole } = rest as { owners?: unknown; publicTables?: unknown; appRole?: unknown };
  if (owners !== undefined && (typeof owners !== 'object' || owners === null || Object.values(owners).some((v) => !Array.isArray(v) || v.some((c) => typeof c !== 'string')))) {
    throw new UserError(`pgrescue: ${file}: "owners" must map tables to lists of column names`);
  }
  if (publicTables !== undefined && (!Array.isArray(publicTables) || publicTables.some((t) => typeof t !== 'string'))) throw new UserError(`pgrescue: ${file}: "publicTables" must be a list of table names`);
  if (appRole !== undefined && typeof appRole !== 'string') throw new UserError(`pgrescue: ${file}: "appRole" must be a role name`);
  return { ...(data as object), options: options as Config['options'], ignore: ignore as string[] };
}

export type { Config };
export { EMPTY_CONFIG };

/** What the config is checked against: each rule's id and declared options. */
export interface RuleOptionsMeta {
  readonly id: string;
  readonly options?: Readonly<Record<string, unknown>>;
}

/**
 * Check the config against the rules: every option key is "<rule>.<option>" of a declared option with a number,
 * every ignore entry names a known rule. A typo is an error with the closest known name, not a silent no-op.
 */
export function validateConfig(config: Config, rules: readonly RuleOptionsMeta[], file = CONFIG_FILE): void {
  const ruleIds = rules.map((r) => r.id);
  const optionKeys = rules.flatMap((r) => Object.keys(r.options ?? {}).map((o) => `${r.id}.${o}`));
  for (const [key, value] of Object.entries(config.options)) {
    if (!optionKeys.includes(key)) throw new UserError(`pgrescue: ${file}: unknown option "${key}"${didYouMean(key, optionKeys)} (each rule's options are listed in docs/rules/)`);
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new UserError(`pgrescue: ${file}: option "${key}" must be a number, got ${JSON.stringify(value)}`);
  }
  for (const entry of config.ignore) {
    const rule = entry.split(':')[0]!;
    if (!ruleIds.includes(rule)) throw new UserError(`pgrescue: ${file}: ignore entry "${entry}" names no rule${didYouMean(rule, ruleIds)}`);
  }
}

/** ` (did you mean "x"?)` for the closest known name within a few edits, else ''. */
export function didYouMean(word: string, known: readonly string[]): string {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(word.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(word.length / 4)) ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
