import { Session } from '../src/db/session.js';
import { resolveConnection } from '../src/db/connection-options.js';
import { collectSnapshot } from '../src/collect/collect-snapshot.js';
const s = await Session.open(resolveConnection(process.argv[2]!));
const t0 = Date.now();
await collectSnapshot(s, { schemas: [], maxStatements: 100000, onProgress: (e) => e.state === 'done' && console.log(e.step, e.elapsedMs) });
console.log('total', Date.now() - t0);
await s.close();
