import type { LogEntry } from '../../model/logs.js';

/** csvlog columns (PostgreSQL 13–18 share the leading ones we read). */
const COL = { database: 2, pid: 3, session: 5, severity: 11, message: 13, detail: 14 };

/** True when a record has balanced quotes, so a newline inside it is part of a quoted field. */
export function csvRecordComplete(text: string): boolean {
  let count = 0;
  for (let i = text.indexOf('"'); i !== -1; i = text.indexOf('"', i + 1)) count++;
  return count % 2 === 0;
}

/** Split one complete CSV record into fields ("" inside quotes is a quote). */
export function splitCsv(record: string): string[] {
  const fields: string[] = [];
  let i = 0;
  const n = record.length;
  while (i <= n) {
    if (record[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = record.indexOf('"', i);
        if (q === -1) {
          value += record.slice(i);
          i = n;
          break;
        }
        value += record.slice(i, q);
        if (record[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      i++; // the comma
    } else {
      const comma = record.indexOf(',', i);
      const end = comma === -1 ? n : comma;
      fields.push(record.slice(i, end));
      i = end + 1;
    }
  }
  return fields;
}

export function parseCsvRecord(record: string): LogEntry | null {
  const f = splitCsv(record);
  const severity = f[COL.severity];
  const message = f[COL.message];
  if (!severity || message === undefined) return null;
  return { session: f[COL.session] || f[COL.pid] || '', database: f[COL.database] || null, severity, message, detail: f[COL.detail] || null };
}
