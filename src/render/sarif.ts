import type { AnalyzerMeta } from '../engine/analyzer.js';
import type { Report, ReportFinding } from '../model/report.js';
import type { Severity } from '../model/severity.js';
import { safeJsonChunks } from './safe-json.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF levels: what must be fixed fails a code-scanning check (error), the rest warns or notes. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/** GitHub orders security alerts by this score (0–10). */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };

/** Where a database object is "located": a path code scanning accepts, the same for the same object on every run. */
export function objectPath(f: Pick<ReportFinding, 'object'>): string {
  const part = (s: string): string => encodeURIComponent(s);
  return `database/${part(f.object.schema)}/${part(f.object.table)}`;
}

function fullyQualifiedName(f: ReportFinding): string {
  const base = `${f.object.schema}.${f.object.table}`;
  if (f.object.columns && f.object.columns.length > 0) return `${base}(${f.object.columns.join(', ')})`;
  if (f.object.index) return `${f.object.schema}.${f.object.index}`;
  if (f.object.policy) return `${base} policy ${f.object.policy}`;
  if (f.object.role) return `${base} role ${f.object.role}`;
  return base;
}

/**
 * The report as SARIF 2.1.0 for GitHub code scanning and other SARIF viewers: one rule per pgrescue rule (its
 * title, description, doc page and default level), one result per finding with its database object as a logical
 * location and a stable path (`database/<schema>/<table>`) as the physical one, the finding id as the fingerprint,
 * and with a baseline, each result's baselineState. Streamed like the JSON report.
 */
export function renderSarif(report: Report, rules: readonly AnalyzerMeta[]): Iterable<string> {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pgrescue',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.title,
              shortDescription: { text: r.title },
              fullDescription: { text: r.description },
              help: {
                text: `${r.description} Rule documentation: docs/rules/${r.id}.md in the pgrescue package.`,
                markdown: `${r.description}\n\nRule documentation: [docs/rules/${r.id}.md](docs/rules/${r.id}.md)${r.fixable ? ' · `pgrescue migrate` writes the fix.' : ''}`,
              },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
              properties: { category: r.category, tags: [r.category, 'postgresql'], ...(r.category === 'security' ? { 'security-severity': SECURITY_SEVERITY[r.defaultSeverity] } : {}) },
            })),
          },
        },
        automationDetails: { id: `pgrescue/${report.database.name}/` },
        originalUriBaseIds: { DATABASE: { description: { text: `Objects of database ${report.database.name} (PostgreSQL ${report.database.serverVersion}).` } } },
        results: report.findings.map((f) => ({
          ruleId: f.rule,
          ...(ruleIndex.has(f.rule) ? { ruleIndex: ruleIndex.get(f.rule) } : {}),
          level: LEVEL[f.severity],
          message: { text: `${f.message}${f.remediation ? ` Fix: ${f.remediation}` : ''}` },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: objectPath(f), uriBaseId: 'DATABASE' } },
              logicalLocations: [{ fullyQualifiedName: fullyQualifiedName(f), kind: f.object.columns?.length ? 'member' : 'type' }],
            },
          ],
          partialFingerprints: { 'pgrescueFindingId/v1': f.id },
          ...(f.baseline ? { baselineState: f.baseline === 'known' ? 'unchanged' : 'new' } : {}),
          properties: {
            findingId: f.id,
            severity: f.severity,
            category: f.category,
            ...(f.confidence ? { confidence: f.confidence } : {}),
            ...(f.category === 'security' ? { 'security-severity': SECURITY_SEVERITY[f.severity] } : {}),
          },
        })),
      },
    ],
  };
  return safeJsonChunks(sarif, []);
}
