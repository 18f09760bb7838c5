import type { FindingObject } from '../model/finding.js';

/** "schema.table(col, col)" or with index / constraint / policy names. */
export function describeObject(object: FindingObject): string {
  let text = `${object.schema}.${object.table}`;
  if (object.columns && object.columns.length > 0) text += `(${object.columns.join(', ')})`;
  else if (object.expression) text += `(${object.expression})`;
  if (object.index) text += ` index ${object.index}`;
  else if (object.policy) text += ` policy ${object.policy}`;
  else if (object.role) text += ` role ${object.role}`;
  return text;
}

export function formatMs(ms: number): string {
  if (ms >= 60_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(2)} ms`;
}

export function oneLine(sql: string, max = 100): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
