import type { EvidenceValue, FindingObject } from '../model/finding.js';

/** "schema.table(col, col)" or with index / constraint / policy names. */
export function describeObject(object: FindingObject): string {
  if (object.routine) return `function ${object.schema}.${object.routine}()`;
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

/** The length of a statistics window in words: "5 min", "3.2 h", "4.0 days". */
export function formatWindow(minutes: number): string {
  if (minutes < 120) return `${Math.max(1, Math.round(minutes))} min`;
  if (minutes < 2880) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} days`;
}

export function oneLine(sql: string, max = 100): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An evidence key as words: `parentDeletesAndUpdates` reads "parent deletes and updates". */
export function evidenceLabel(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

/** An evidence value as text: lists joined, objects as `label: value` pairs, never raw JSON. */
export function evidenceValue(value: EvidenceValue): string {
  if (value === null) return 'unknown';
  if (Array.isArray(value)) return value.map(evidenceValue).join(', ');
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${evidenceLabel(k)}: ${evidenceValue(v)}`).join('; ');
  return String(value);
}
