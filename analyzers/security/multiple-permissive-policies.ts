import { defineAnalyzer } from '../../src/engine/analyzer.js';
import type { FindingDraft } from '../../src/model/finding.js';

const COMMANDS = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] as const;

/**
 * Several permissive policies for one role and one command on a table (splinter's multiple_permissive_policies):
 * PostgreSQL ORs them, evaluating each for every row, and the widest one decides; one policy with the conditions
 * ORed says the same, is read once, and costs less.
 */
export default defineAnalyzer(
  {
    id: 'multiple-permissive-policies',
    title: 'Several permissive policies for one role and command',
    category: 'security',
    defaultSeverity: 'low',
    requires: [],
    fixable: false,
    description: 'A table with two or more permissive policies that apply to the same role and command: they are ORed (the widest wins) and each is evaluated per row.',
  },
  ({ snapshot }) => {
    const findings: FindingDraft[] = [];
    const byTable = new Map<string, typeof snapshot.policies[number][]>();
    for (const p of snapshot.policies) {
      if (!p.permissive) continue;
      const key = `${p.schema}\u0000${p.table}`;
      byTable.set(key, [...(byTable.get(key) ?? []), p]);
    }
    for (const policies of byTable.values()) {
      const first = policies[0]!;
      const overlaps: { role: string; command: string; names: string[] }[] = [];
      const roles = [...new Set(policies.flatMap((p) => p.roles))];
      for (const role of roles) {
        for (const command of COMMANDS) {
          const names = policies.filter((p) => (p.roles.includes(role) || p.roles.includes('PUBLIC')) && (p.command === command || p.command === 'ALL')).map((p) => p.name);
          if (names.length > 1) overlaps.push({ role, command, names });
        }
      }
      if (overlaps.length === 0) continue;
      const worst = overlaps.sort((a, b) => b.names.length - a.names.length)[0]!;
      findings.push({
        key: [...new Set(overlaps.flatMap((o) => o.names))].sort().join(','),
        severity: 'low',
        message: `${first.schema}.${first.table} has ${worst.names.length} permissive policies for ${worst.role} on ${worst.command} (${worst.names.join(', ')})${overlaps.length > 1 ? `, and ${overlaps.length - 1} more role and command pairs like it` : ''}: PostgreSQL ORs them, so the widest decides what is visible, and evaluates each one for every row.`,
        object: { schema: first.schema, table: first.table, policy: worst.names[0]! },
        evidence: { overlaps: overlaps.map((o) => `${o.role} ${o.command}: ${o.names.join(', ')}`) },
        remediation: `Merge them into one policy per role and command with the conditions ORed, or make the ones that must all hold RESTRICTIVE.`,
      });
    }
    return findings;
  },
);
