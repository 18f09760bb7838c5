import { withoutTransactionControl } from '../step-sql.js';
import { assertNoMarker, existingByPattern } from './tool.js';
import type { MigrationTool } from './tool.js';
import { updateJournal } from './journal.js';

/** drizzle-orm's migrator splits a file on this line and runs the pieces in the run's one transaction. */
export const BREAKPOINT = '--> statement-breakpoint';

/** Where the steps drizzle cannot run (CONCURRENTLY, and the steps before them) go, inside the migrations folder. */
export const DRIZZLE_OUTSIDE = 'pgrescue-outside-transaction';

/** Where undo files go: drizzle has no down migrations. */
export const DRIZZLE_DOWN = 'pgrescue-down';


/**
 * Drizzle: <idx>_name.sql listed in meta/_journal.json. drizzle-kit migrate runs every pending file in one
 * transaction, so no step can build an index CONCURRENTLY there: those go to a side folder, run first with psql
 * (see partitionForTool in write.ts), and the journal gets the rest.
 */
export const drizzle: MigrationTool = {
  name: 'drizzle',
  defaultDir: 'drizzle',
  versions: 'index',
  outsideFolder: DRIZZLE_OUTSIDE,
  finish: updateJournal,
  prefixed: true,
  existing: (files) => existingByPattern(files, /^(\d{4})_(.+)\.sql$/),
  render(step) {
    const m = step.planned.migration;
    const up = step.header('up', '-- transaction: drizzle-kit migrate runs this file in its one transaction') + withoutTransactionControl(m.up);
    return [
      { path: `${step.version}_${step.name}.sql`, content: assertNoMarker(up, /^-->/m, 'drizzle') },
      { path: `${DRIZZLE_DOWN}/${step.version}_${step.name}.down.sql`, content: step.header('down', '-- transaction: BEGIN … COMMIT inside the file (run it with psql)') + m.down },
    ];
  },
  howToRun: (dir) => `npx drizzle-kit migrate (journal in ${dir}/meta); undo files are in ${dir}/${DRIZZLE_DOWN} (psql -f)`,
};
