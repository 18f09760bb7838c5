import { tableKey } from '../derive/catalog.js';
import type { Target, Unit } from './choose-set.js';
import type { OutcomeTracker } from './outcomes.js';
import { compareText } from '../model/order.js';

/** For each statement that joins several tables: the best single candidate on each, to be costed together. */
export function combinations(targets: readonly Target[], singles: readonly Unit[], tracker: OutcomeTracker): Unit[] {
  const out = new Map<string, Unit>();
  for (const t of targets) {
    if (t.tables.size < 2) continue;
    const perTable = new Map<string, { unit: Unit; cost: number }>();
    for (const u of singles) {
      const m = u.members[0]!;
      const cost = tracker.costOf(u.key, t.queryid);
      const table = tableKey(m.schema, m.table);
      if (cost === undefined || cost >= t.before || !t.tables.has(table)) continue;
      const seen = perTable.get(table);
      if (!seen || cost < seen.cost) perTable.set(table, { unit: u, cost });
    }
    if (perTable.size < 2) continue;
    const members = [...perTable.values()].map((p) => p.unit.members[0]!).sort((a, b) => compareText(a.key, b.key));
    const key = members.map((m) => m.key).join(' + ');
    if (!out.has(key)) out.set(key, { key, members });
  }
  return [...out.values()];
}
