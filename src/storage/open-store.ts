import { openPgliteConnection } from './pglite-connection.js';
import type { SqlConnection } from './sql-connection.js';
import { SqlStore } from './sql-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** PostgreSQL; wins over the other options when set. */
  databaseUrl?: string;
  /** PostgreSQL only: an existing schema to keep the tables in (search_path). */
  schema?: string;
  /** Embedded PGlite in this folder, created if missing. */
  dataDir?: string;
  /** Embedded PGlite in memory (tests, demos): gone on close. */
  inMemory?: boolean;
  /** What this process is, named to a second process that finds dataDir in use. */
  role?: string;
}

/** Opens the configured database and brings its schema up to date before returning. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  return (await openMigrated(options)).store;
}

/**
 * The connection under a migrated SqlStore, for callers that put other stores on the same
 * connection so their writes share transactions (the batch finder's RunStore).
 */
export async function openMigrated(options: OpenStoreOptions): Promise<{ store: SqlStore; connection: SqlConnection }> {
  const connection = await openConnection(options);
  const store = new SqlStore(connection);
  try {
    await store.migrate();
  } catch (error) {
    await connection.close().catch(() => undefined);
    throw error;
  }
  return { store, connection };
}

async function openConnection(options: OpenStoreOptions): Promise<SqlConnection> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    // Loaded only when used: the nightly finder on PGlite starts sooner without pg.
    const { openPgConnection } = await import('./pg-connection.js');
    return openPgConnection({
      databaseUrl: options.databaseUrl,
      ...(options.schema === undefined ? {} : { schema: options.schema }),
    });
  }
  if (options.inMemory === true) return openPgliteConnection();
  if (options.dataDir !== undefined && options.dataDir !== '') return openPgliteConnection(options.dataDir, { role: options.role });
  // Silently choosing memory would lose the worklist on restart: make the caller say so.
  return Promise.reject(new Error('No storage configured: set DATABASE_URL or DATA_DIR.'));
}
