// The batch finder needs the worklist Store and the RunStore on one connection (their writes
// share transactions), so it opens the connection itself rather than through openStore, with
// the same choice of database: DATABASE_URL wins, else embedded PGlite in a folder.

import type { OpenStoreOptions } from './open-store.js';
import { openPgConnection } from './pg-connection.js';
import { openPgliteConnection } from './pglite-connection.js';
import { SqlRunStore, type RunStore } from './run-store.js';
import type { SqlConnection } from './sql-connection.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export interface RunStorage {
  store: Store;
  runs: RunStore;
  close(): Promise<void>;
}

export async function openRunStorage(options: OpenStoreOptions): Promise<RunStorage> {
  const connection = await openConnection(options);
  const store = new SqlStore(connection);
  try {
    await store.migrate();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  return { store, runs: new SqlRunStore(connection), close: () => connection.close() };
}

function openConnection(options: OpenStoreOptions): Promise<SqlConnection> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    return openPgConnection({
      databaseUrl: options.databaseUrl,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
    });
  }
  if (options.inMemory === true) return openPgliteConnection();
  if (options.dataDir !== undefined && options.dataDir !== '') return openPgliteConnection(options.dataDir);
  return Promise.reject(new Error('No storage configured: set DATABASE_URL or DATA_DIR.'));
}
