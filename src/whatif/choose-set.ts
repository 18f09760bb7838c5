import { tableKey } from '../derive/catalog.js';
import type { SafeClient } from '../db/session.js';
import type { AdvisorOptions } from '../advisor/options.js';
import { isPrefix } from '../advisor/prefix.js';
import type { CandidateIndex } from '../model/advisor.js';
import { explainCustom, explainGeneric, totalCost } from './explain.js';
import type { CustomCall, PlanInput } from './explain.js';
import { createHypothetical, dropHypothetical, hypotheticalSize } from './hypopg.js';

/** A planned statement the choice is costed against. */
export interface Target {
  readonly queryid: string;
  readonly input: PlanInput;
  readonly tables: ReadonlySet<string>;
  /** Database time in the stats window (ms). */
  readonly windowMs: number;
  /** Cost with the existing indexes, in the mode below. */
  before: number;
  /** With representative parameter values: costed with custom plans. Null: generic plans. */
  custom: CustomCall | null;
}

/** One or more candidates costed and chosen together (a statement may need an index on each table it joins). */
export interface Unit {
  readonly key: string;
  readonly members: readonly CandidateIndex[];
}

export interface UnitValue {
  readonly savedMs: number;
  readonly writeMs: number;
  readonly net: number;
  readonly serves: readonly string[];
  /** Cuts at least one statement by the threshold (against its cost before any index). */
  readonly eligible: boolean;
  /** Each touched statement's cost with the unit added to the chosen set. */
  readonly costs: ReadonlyMap<string, number>;
}

export interface Pick {
  readonly unit: Unit;
  readonly added: readonly CandidateIndex[];
  readonly value: UnitValue;
}

/** A further index must make a statement at least this much cheaper than the indexes already chosen. */
const MARGINAL_GAIN = 0.2;

/**
 * Costs units under the hypothetical indexes already chosen, caching each statement's cost per unit until a choice
 * touches one of that statement's tables.
 */
export class SetCoster {
  readonly chosen: CandidateIndex[] = [];
  private readonly chosenKeys = new Set<string>();
  readonly current = new Map<string, number>();
  private readonly cache = new Map<string, Map<string, number>>();
  readonly sizes = new Map<string, number>();
  explains = 0;
  /** The statements that read each table, so a unit finds its own without a pass over every statement. */
  private readonly byTable = new Map<string, Target[]>();

  constructor(
    readonly client: SafeClient,
    readonly targets: readonly Target[],
    /** Most plans the choice may ask for: past it, units are valued from the costs already known. */
    readonly maxPlans = Number.POSITIVE_INFINITY,
  ) {
    for (const t of targets) {
      this.current.set(t.queryid, t.before);
      for (const table of t.tables) {
        const list = this.byTable.get(table);
        if (list) list.push(t);
        else this.byTable.set(table, [t]);
      }
    }
  }

  /** The plan budget is spent: no statement is re-costed any more. */
  get exhausted(): boolean {
    return this.explains >= this.maxPlans;
  }

  async cost(t: Target): Promise<number> {
    if (this.exhausted) throw new Error('what-if plan budget spent');
    this.explains++;
    return this.plan(t);
  }

  /** The statement's planner cost as it is costed (custom plans or generic), with the hypothetical indexes in place. */
  private async plan(t: Target): Promise<number> {
    return totalCost(t.custom ? await explainCustom(this.client, t.custom) : await explainGeneric(this.client, t.input));
  }

  added(unit: Unit): CandidateIndex[] {
    return unit.members.filter((m) => !this.chosenKeys.has(m.key));
  }

  /** The statements that read a table one of these indexes is on, each once. */
  relevant(members: readonly CandidateIndex[]): Target[] {
    return [...new Set(members.flatMap((m) => this.byTable.get(tableKey(m.schema, m.table)) ?? []))];
  }

  /** Costs of the statements a unit touches with it added to the chosen set (from cache where still valid). */
  async costsWith(unit: Unit): Promise<Map<string, number>> {
    const added = this.added(unit);
    const cached = this.cache.get(unit.key) ?? new Map<string, number>();
    this.cache.set(unit.key, cached);
    const missing = this.relevant(added).filter((t) => !cached.has(t.queryid));
    if (missing.length === 0 || added.length === 0 || this.exhausted) return cached;
    const oids: number[] = [];
    try {
      for (const m of added) {
        const oid = await createHypothetical(this.client, m);
        oids.push(oid);
        if (!this.sizes.has(m.key)) this.sizes.set(m.key, await hypotheticalSize(this.client, oid));
      }
      for (const t of missing) {
        if (this.exhausted) break;
        try {
          cached.set(t.queryid, await this.cost(t));
        } catch {
          cached.set(t.queryid, this.current.get(t.queryid) ?? t.before);
        }
      }
    } finally {
      for (const oid of oids) await dropHypothetical(this.client, oid);
    }
    return cached;
  }

  /** Value of a unit against the chosen set: time saved and write cost over the window. */
  async value(unit: Unit, writeMs: (c: CandidateIndex) => number, minCostReduction: number): Promise<UnitValue> {
    const costs = await this.costsWith(unit);
    const added = this.added(unit);
    let savedMs = 0;
    let eligible = false;
    const serves: string[] = [];
    for (const t of this.relevant(added)) {
      const after = costs.get(t.queryid);
      const current = this.current.get(t.queryid) ?? t.before;
      if (after === undefined || t.before <= 0 || after > current * (1 - MARGINAL_GAIN)) continue;
      savedMs += (t.windowMs * (current - after)) / t.before;
      serves.push(t.queryid);
      if (after <= t.before * (1 - minCostReduction)) eligible = true;
    }
    const write = added.reduce((sum, m) => sum + writeMs(m), 0);
    return { savedMs, writeMs: write, net: savedMs - write, serves, eligible, costs };
  }

  /** Drop every cached cost of one statement (its costing mode changed). */
  forget(queryid: string): void {
    for (const cached of this.cache.values()) cached.delete(queryid);
  }

  /** Make a unit's new members part of the chosen set; forget cached costs of statements on their tables. */
  async choose(unit: Unit): Promise<CandidateIndex[]> {
    const costs = await this.costsWith(unit);
    const added = this.added(unit);
    for (const t of this.relevant(added)) this.current.set(t.queryid, Math.min(this.current.get(t.queryid) ?? t.before, costs.get(t.queryid) ?? Infinity));
    for (const m of added) {
      await createHypothetical(this.client, m);
      this.chosen.push(m);
      this.chosenKeys.add(m.key);
    }
    const touched = new Set(this.relevant(added).map((t) => t.queryid));
    for (const cached of this.cache.values()) for (const q of touched) cached.delete(q);
    return added;
  }

  /** Statement costs with the chosen set in place. */
  async finalCosts(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const t of this.targets) {
      try {
        // The proof of the chosen set is never skipped for the budget.
        out.set(t.queryid, await this.plan(t));
      } catch {
        out.set(t.queryid, this.current.get(t.queryid) ?? t.before);
      }
    }
    return out;
  }
}

/**
 * Greedy choice over units: at each step every unit is valued against the set chosen so far (its statements
 * re-costed with the set in place), and the one with the largest net saving over the window — time saved across
 * the statements it improves, weighted by their time, minus the write time its entries cost — is taken, while it
 * cuts some statement by the threshold and saves at least `floorMs`. Returns the picks in order.
 */
export async function chooseGreedy(coster: SetCoster, units: readonly Unit[], writeMs: (c: CandidateIndex) => number, o: AdvisorOptions, floorMs: number, onValue: (u: Unit, v: UnitValue) => void): Promise<Pick[]> {
  const picks: Pick[] = [];
  let open = [...units];
  for (let step = 0; step < units.length && open.length > 0; step++) {
    let best: { unit: Unit; value: UnitValue } | null = null;
    for (const unit of open) {
      const value = await coster.value(unit, writeMs, o.minCostReduction);
      onValue(unit, value);
      if (!value.eligible || value.net < floorMs || value.serves.length === 0) continue;
      if (best === null || value.net > best.value.net || (value.net === best.value.net && keyCount(unit) < keyCount(best.unit))) best = { unit, value };
    }
    if (best === null) break;
    const added = await coster.choose(best.unit);
    picks.push({ unit: best.unit, added, value: best.value });
    open = open.filter((u) => u !== best!.unit && coster.added(u).length > 0 && !u.members.every((m) => coster.chosen.some((c) => isPrefix(m, c) || c.key === m.key)));
  }
  return picks;
}

function keyCount(u: Unit): number {
  return u.members.reduce((n, m) => n + m.keys.length, 0);
}
