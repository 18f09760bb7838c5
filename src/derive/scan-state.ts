import type { Snapshot } from '../model/snapshot.js';
import { Catalog } from './catalog.js';
import type { WorkloadView } from './workload.js';
import { buildWorkload } from './workload.js';

/**
 * What one scan derives from its snapshot, built once and handed to every step that needs it (the data checks,
 * the advisor, each rule): catalog lookups and the parsed workload. There is no module-level cache: whoever runs
 * the scan owns this object and its lifetime.
 */
export interface ScanState {
  readonly snapshot: Snapshot;
  readonly catalog: Catalog;
  readonly workload: WorkloadView;
}

/**
 * Derive the scan's state. `previous` (the state of an earlier step of the same scan) is reused when the snapshot
 * still has the same tables and statements, as after the advisor adds its result: parsing is the costly part
 * (about 0.7 s per 1,000 statements) and is then paid once.
 */
export function deriveScan(snapshot: Snapshot, previous?: ScanState): ScanState {
  const same = previous && previous.snapshot.tables === snapshot.tables && previous.snapshot.statements === snapshot.statements;
  const catalog = same ? previous.catalog : new Catalog(snapshot);
  // Parsed on first use: the data checks need only the catalog.
  let workload: WorkloadView | undefined;
  return {
    snapshot,
    catalog,
    get workload(): WorkloadView {
      workload ??= same ? previous.workload : buildWorkload(snapshot, catalog);
      return workload;
    },
  };
}
