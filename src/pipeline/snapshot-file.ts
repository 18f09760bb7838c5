import { readJsonFile } from '../io/json-file.js';
import type { Snapshot } from '../model/snapshot.js';
import { SNAPSHOT_VERSION } from '../model/snapshot.js';
import { UserError } from '../model/user-error.js';
import { isLabel } from '../collect/labels.js';
import { ensureParser } from '../sql/parser.js';
import { safeStatementText } from '../sql/normalize.js';
import { safeJsonChunks } from '../render/safe-json.js';
import { writeFileAtomic } from '../io/output.js';

/** Read and check a snapshot written by `pgrescue snapshot`. */
export async function readSnapshot(path: string): Promise<Snapshot> {
  const data = await readJsonFile(path, 'snapshot');
  const snap = data as Partial<Snapshot> | null;
  if (!snap || typeof snap !== 'object' || !('snapshotVersion' in snap)) {
    throw new UserError(`pgrescue: ${path} is not a pgrescue snapshot (no snapshotVersion); write one with: pgrescue snapshot --out FILE`);
  }
  if (snap.snapshotVersion !== SNAPSHOT_VERSION) {
    throw new UserError(`pgrescue: ${path} has snapshot version ${String(snap.snapshotVersion)}; this pgrescue reads version ${SNAPSHOT_VERSION}`);
  }
  for (const key of ['database', 'tables', 'indexes', 'constraints', 'statements', 'capabilities'] as const) {
    if (!(key in snap)) throw new UserError(`pgrescue: ${path} is not a complete pgrescue snapshot (missing "${key}")`);
  }
  // Statement texts and enum values are re-checked on load: a snapshot may come from an older pgrescue or be
  // edited by hand, and what it holds is shown on a terminal.
  await ensureParser();
  const statements = (snap.statements ?? []).map((s) => {
    const text = safeStatementText(String(s.query));
    return { ...s, query: text.text, ...(text.withheld ? { withheld: true } : {}) };
  });
  const checks = snap.dataChecks ?? { foreignKeys: [], uniques: [], nulls: [], values: [] };
  const values = checks.values.map((v) => (v.shown === undefined && !v.values.every(isLabel) ? { ...v, values: [], distinct: v.values.length, shown: false } : v));
  // Snapshots written before the index advisor existed have no `advisor` entry.
  return { ...(snap as Snapshot), statements, advisor: snap.advisor ?? null, logs: snap.logs ?? null, secretSamples: snap.secretSamples ?? [], dataChecks: { ...checks, values } };
}

/** Write a snapshot atomically, its large arrays streamed element by element. */
export async function writeSnapshot(path: string, snapshot: Snapshot): Promise<void> {
  await writeFileAtomic(path, safeJsonChunks(snapshot, ['tables', 'indexes', 'constraints', 'grants', 'columnStats', 'statements']));
}
