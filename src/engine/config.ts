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
  const known = ['owners', 'publicTables', 'appRole'];
  const unknown = Object.keys(rest).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new UserError(`pgrescue: ${file}: unknown key ${unknown.map((k) => `"${k}"`).join(', ')} (expected options, ignore, owners, publicTables, appRole)`);
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
