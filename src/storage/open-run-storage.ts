// The batch finder needs the worklist Store and the RunStore on one connection (their writes
// share transactions), with the same choice of database as the service: DATABASE_URL wins,
// else embedded PGlite in a folder.

import { openMigrated, type OpenStoreOptions } from './open-store.js';
import { SqlRunStore, type RunStore } from './run-store.js';
import type { Store } from './store.js';

export interface RunStorage {
  store: Store;
  runs: RunStore;
  close(): Promise<void>;
}

export async function openRunStorage(options: OpenStoreOptions): Promise<RunStorage> {
  const { store, connection } = await openMigrated(options);
  return { store, runs: new SqlRunStore(connection), close: () => connection.close() };
}
