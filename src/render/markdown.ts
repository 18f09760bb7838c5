import { gateLines } from './gate.js';
import { nextCommand, PLAN_LIMIT, planItemText } from './fix-first.js';
import { plural } from '../derive/format.js';
import type { Report } from '../model/report.js';
import { SEVERITIES } from '../model/severity.js';
import { describeObject, evidenceLabel, evidenceValue, formatMs, oneLine } from '../derive/format.js';

/**
 * Text with names from the database, as Markdown text: characters Markdown or HTML would act on are escaped, so a
 * table named `[pay here](https://…)` or `<img src=…>` shows as written instead of rendering as a link or image.
 */
export function mdText(text: string): string {
  return text.replace(/[\\`*_[\]<>|#!~]/g, (ch) => (ch === '<' ? '&lt;' : ch === '>' ? '&gt;' : `\\${ch}`));
}

export function escapeCell(text: string): string {
  return mdText(text).replace(/\n/g, ' ');
}

/** A run of backticks longer than any inside `text`: a code span or fence that text cannot close. */
function ticks(text: string, min: number): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(Math.max(min, longest + 1));
}

export function codeSpan(text: string): string {
  const t = ticks(text, 1);
  return `${t} ${text} ${t}`;
}

/** A report a founder can read: what is wrong, why it matters, what to do, with the SQL. */
export function renderMarkdown(report: Report): string {
  const db = report.database;
  const lines: string[] = [];
  lines.push(`# pgrescue report: ${mdText(db.name)}`);
  lines.push('');
  lines.push(`PostgreSQL ${db.serverVersion} · generated ${report.generatedAt} · pgrescue ${report.tool.version}`);
  lines.push('');
  lines.push(`**${plural(report.findings.length, 'finding')}**: ${SEVERITIES.map((s) => `${report.summary.bySeverity[s]} ${s}`).join(' · ')}`);
  for (const line of gateLines(report)) lines.push('', mdText(line));
  if (report.warnings.length > 0) {
    lines.push('');
    lines.push('## Warnings');
    lines.push('');
    for (const w of report.warnings) lines.push(`- ${mdText(w.message)}`);
  }
  if (report.fixFirst.length > 0) {
    lines.push('');
    lines.push('## Fix first');
    lines.push('');
    lines.push('Findings grouped by root cause, most database time first.');
    lines.push('');
    for (const item of report.fixFirst.slice(0, PLAN_LIMIT)) lines.push(`${item.rank}. ${mdText(planItemText(item).replace(/^\d+\. /, ''))}`);
    if (report.fixFirst.length > PLAN_LIMIT) lines.push('', `… and ${report.fixFirst.length - PLAN_LIMIT} more below.`);
    lines.push('', mdText(nextCommand(report)));
  }
  if (report.findings.length > 0) {
    lines.push('');
    lines.push('## Findings');
    lines.push('');
    lines.push('| severity | rule | object | message |');
    lines.push('|---|---|---|---|');
    for (const f of report.findings) lines.push(`| ${f.severity} | \`${f.rule}\` | ${escapeCell(describeObject(f.object))} | ${escapeCell(f.message)} |`);
    for (const f of report.findings) {
      lines.push('');
      lines.push(`### ${f.severity}: ${f.title} — ${mdText(describeObject(f.object))}`);
      lines.push('');
      lines.push(mdText(f.message));
      lines.push('');
      lines.push(`**Fix:** ${mdText(f.remediation)}`);
      const evidence = Object.entries(f.evidence);
      if (evidence.length > 0) {
        lines.push('');
        for (const [k, v] of evidence) lines.push(`- ${mdText(evidenceLabel(k))}: ${mdText(evidenceValue(v))}`);
      }
      if (f.migrations && f.migrations.length > 0) {
        lines.push('');
        lines.push(`Fix, step by step: ${f.migrations.map((m) => `${mdText(m.name)} (${m.risk ?? 'review'})`).join(', ')}. \`pgrescue migrate\` writes the safe steps; \`--include review,decision\` adds the others.`);
        lines.push('');
        const sql = f.migrations.map((m) => m.up.trimEnd()).join('\n\n');
        const fence = ticks(sql, 3);
        lines.push(`${fence}sql`);
        lines.push(sql);
        lines.push(fence);
      }
    }
  }
  if (report.ownership.length > 0) {
    lines.push('');
    lines.push('## Which tables belong to members (inferred)');
    lines.push('');
    lines.push('Override in `pgrescue.config.json` with `owners` and `publicTables`.');
    lines.push('');
    lines.push('| table | owner columns | or through | personal/payment data |');
    lines.push('|---|---|---|---|');
    for (const o of report.ownership) lines.push(`| ${escapeCell(o.table)} | ${escapeCell(o.ownerColumns.join(', ') || '—')} | ${escapeCell(o.path.join(' → ') || '—')} | ${o.sensitive ? 'yes' : ''} |`);
  }
  if (report.statements.length > 0) {
    lines.push('');
    lines.push('## Top statements by total time');
    lines.push('');
    lines.push('p95 is an estimate from the mean and standard deviation. The last column is what the index advisor concluded for each.');
    for (const caveat of report.indexAdvisor?.window?.caveats ?? []) lines.push('', `Index advisor window: ${mdText(caveat)}.`);
    lines.push('');
    lines.push('| total | calls | mean | p95 (est.) | statement | index advisor |');
    lines.push('|---:|---:|---:|---:|---|---|');
    for (const s of report.statements) {
      const advice = s.indexAdvice ? escapeCell(`${s.indexAdvice.outcome}: ${s.indexAdvice.reason}`) : '—';
      lines.push(`| ${formatMs(s.totalMs)} | ${s.calls} | ${formatMs(s.meanMs)} | ${formatMs(s.p95EstimateMs)} | ${codeSpan(oneLine(s.query, 160).replace(/\|/g, '\\|'))} | ${advice} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
