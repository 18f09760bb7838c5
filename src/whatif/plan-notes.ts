import type { PlanNote } from '../model/advisor.js';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Plan Rows'?: number;
  'Total Cost'?: number;
  Plans?: PlanNode[];
}

/** The notable nodes of an EXPLAIN (FORMAT JSON) plan, most expensive first: why a statement is slow. */
export function planNotes(root: PlanNode): PlanNote[] {
  const notes: PlanNote[] = [];
  const visit = (node: PlanNode): void => {
    const type = node['Node Type'];
    const kind: PlanNote['kind'] | null =
      type === 'Seq Scan' ? 'seq-scan' : type === 'Sort' || type === 'Incremental Sort' ? 'sort' : type === 'Nested Loop' ? 'nested-loop' : type === 'Hash Join' ? 'hash-join' : type === 'Aggregate' ? 'aggregate' : null;
    if (kind) notes.push({ kind, relation: node['Relation Name'] ?? null, rows: Math.round(node['Plan Rows'] ?? 0), cost: node['Total Cost'] ?? 0 });
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(root);
  return notes.sort((a, b) => b.cost - a.cost).slice(0, 5);
}

/** Index names the plan reads, to say "already uses index …". */
export function indexesUsed(root: PlanNode & { 'Index Name'?: string }): string[] {
  const names: string[] = [];
  const visit = (node: PlanNode & { 'Index Name'?: string }): void => {
    if (node['Index Name']) names.push(node['Index Name']);
    for (const child of node.Plans ?? []) visit(child);
  };
  visit(root);
  return [...new Set(names)];
}

export type { PlanNode };
