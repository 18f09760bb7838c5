import type { FileVerdict, Verdict, VerifyResult } from '../model/verify.js';
import { formatMs, oneLine, plural } from '../derive/format.js';
import { displaySafe } from './display-safe.js';
import { safeJson } from './safe-json.js';
import { codeSpan, escapeCell, mdText } from './markdown.js';

/** A verdict in words, with its number where it has one. */
export function verdictWords(v: FileVerdict, kind: Verdict): string {
  switch (kind) {
    case 'blocks-writers':
      return `blocks writers ${formatMs(v.locks?.writersBlockedMs ?? 0)}`;
    case 'breaks-statement':
      return `breaks ${plural(v.broken.length, 'statement')}`;
    case 'loses-rows':
      return `loses rows (${plural(v.lostRows.length, 'statement')})`;
    case 'slow':
      return `slow (${formatMs(v.applyMs ?? 0)})`;
    default:
      return kind.replace(/-/g, ' ');
  }
}

function summary(r: VerifyResult): string[] {
  const failed = r.files.filter((f) => f.failed).length;
  const schema = r.schemaRestored === null ? 'not checked (a down failed)' : r.schemaRestored ? 'restored by the downs' : `NOT restored (${plural(r.schemaDiff.length, 'difference')})`;
  return [
    `${r.ok ? 'PASS' : 'FAIL'}: ${plural(r.files.length, 'file')}, ${failed} failed · schema ${schema}`,
    `replayed as ${r.role}: ${plural(r.replay.statements, 'captured statement')} (${Math.round(r.replay.dbTimeShare * 100)}% of captured DB time), ${r.replay.executed} executed (${r.replay.fromLog} with the logged statements and values, the rest with sampled values), ${r.replay.plannedOnly} planned only${r.replay.failingBefore > 0 ? `, ${r.replay.failingBefore} failing before any migration (not counted)` : ''}`,
    `applied in ${formatMs(r.applyMs)}; verify took ${formatMs(r.verifyMs)} on ${r.scratch.database} (PostgreSQL ${r.scratch.serverVersion})`,
  ];
}

function lockText(v: FileVerdict): string {
  if (!v.locks) return '';
  const tables = Object.entries(v.locks.tables).map(([t, m]) => `${t} ${m}`);
  return tables.length > 0 ? tables.join(', ') : 'no table lock seen';
}

export function renderVerifyTable(result: VerifyResult): string {
  const r = displaySafe(result);
  const lines = [`pgrescue verify ${r.migrations}`, ''];
  for (const v of r.files) {
    const mark = v.failed ? '✗' : '✓';
    lines.push(`${mark} ${v.file}  ${v.verdicts.map((k) => verdictWords(v, k)).join(', ')}${v.applyMs !== null ? `  ${formatMs(v.applyMs)}` : ''}${v.risk ? `  [${v.risk}]` : ''}`);
    if (v.locks) lines.push(`    locks: ${lockText(v)}; writers waited ${formatMs(v.locks.writersBlockedMs)}, readers ${formatMs(v.locks.readersBlockedMs)}`);
    if (v.finding) lines.push(`    finding ${v.finding}: ${v.fixes}`);
    for (const reason of v.reasons) lines.push(`    ${reason}`);
    for (const c of v.costChanges.slice(0, 3)) lines.push(`    plan cost ${Math.round(c.costBefore ?? 0)} → ${Math.round(c.costAfter ?? 0)}: ${oneLine(c.query, 90)}`);
  }
  lines.push('');
  if (r.schemaDiff.length > 0) lines.push('schema after the downs differs:', ...r.schemaDiff.slice(0, 10).map((d) => `  ${d}`), '');
  lines.push(...summary(r));
  return `${lines.join('\n')}\n`;
}

export function renderVerifyMarkdown(r: VerifyResult): string {
  const lines = [`# pgrescue verify: ${r.ok ? 'PASS' : 'FAIL'}`, '', ...summary(r).map((l) => `- ${mdText(l)}`), '', '| file | verdict | time | locks (strongest) | writers waited | finding |', '|---|---|---:|---|---:|---|'];
  for (const v of r.files) {
    lines.push(`| ${escapeCell(v.file)} | ${escapeCell(v.verdicts.map((k) => verdictWords(v, k)).join(', '))} | ${v.applyMs === null ? '' : formatMs(v.applyMs)} | ${escapeCell(lockText(v))} | ${v.locks ? formatMs(v.locks.writersBlockedMs) : ''} | ${v.finding ?? ''} |`);
  }
  const failing = r.files.filter((v) => v.reasons.length > 0);
  if (failing.length > 0) {
    lines.push('', '## Why');
    for (const v of failing) {
      lines.push('', `### ${mdText(v.file)}`, '', ...v.reasons.map((reason) => `- ${mdText(reason)}`));
      for (const s of [...v.broken, ...v.lostRows].slice(0, 5)) lines.push(`- ${codeSpan(oneLine(s.query, 200))}`);
    }
  }
  if (r.schemaDiff.length > 0) lines.push('', '## Schema not restored by the downs', '', ...r.schemaDiff.map((d) => `- ${codeSpan(d)}`));
  return `${lines.join('\n')}\n`;
}

export function renderVerify(result: VerifyResult, format: 'table' | 'json' | 'markdown'): string {
  if (format === 'json') return safeJson(result);
  return format === 'markdown' ? renderVerifyMarkdown(result) : renderVerifyTable(result);
}
