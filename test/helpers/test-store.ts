// Where tests keep their data. PostgreSQL when there is one (TEST_DATABASE_URL, as .ci/run sets,
// else a testcontainers PostgreSQL when a Docker engine answers), embedded PGlite in memory
// otherwise, or always with TEST_STORE=pglite (vitest.config.ts's pglite project sets it). On PostgreSQL every store gets its own schema, dropped on close, so test files
// running in parallel never see each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import { openRunStorage, type RunStorage } from '../../src/storage/open-run-storage.js';
import { openMigrated, openStore } from '../../src/storage/open-store.js';
import { openPgConnection } from '../../src/storage/pg-connection.js';
import { openPgliteConnection, pgliteSnapshot } from '../../src/storage/pglite-connection.js';
import { SqlStore } from '../../src/storage/sql-store.js';
import type { SqlConnection } from '../../src/storage/sql-connection.js';
import type { NewSubject, NewSubjectJson, PatientResults, SeveralStudiesQuery, Store, StoredSubject, SubjectQuery } from '../../src/storage/store.js';

export interface TestPostgres {
  databaseUrl: string;
  source: 'TEST_DATABASE_URL' | 'testcontainers';
}

export type TestTarget = 'auto' | 'pglite' | 'postgres';

/** A Store; on PostgreSQL it also names the schema it owns. */
export type TestStore = Store & { readonly schema?: string };

let postgres: Promise<TestPostgres | undefined> | undefined;

/** The PostgreSQL tests may use, or undefined; looked up once per test file (vitest forks per file). */
export function findTestPostgres(): Promise<TestPostgres | undefined> {
  postgres ??= lookUpPostgres();
  return postgres;
}

async function lookUpPostgres(): Promise<TestPostgres | undefined> {
  if (process.env['TEST_STORE'] === 'pglite') return undefined;
  const fromEnv = process.env['TEST_DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') return { databaseUrl: fromEnv, source: 'TEST_DATABASE_URL' };
  // Imported late: testcontainers is heavy and most runs never need it.
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  // Ryuk, testcontainers' reaper, removes the container when this process exits.
  const container = await new PostgreSqlContainer('postgres:16-alpine').start();
  return { databaseUrl: container.getConnectionUri(), source: 'testcontainers' };
}

/** A schema of its own in the test PostgreSQL; drop() removes it and everything in it. */
export async function createTestSchema(databaseUrl: string): Promise<{ schema: string; drop(): Promise<void> }> {
  const schema = `test_${randomBytes(8).toString('hex')}`;
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA ${schema}`));
  return {
    schema,
    drop: async () => {
      await withClient(databaseUrl, (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
    },
  };
}

/**
 * A migrated, empty store; close() it when done (on PostgreSQL that also drops its schema).
 * target 'auto' takes PostgreSQL when there is one; 'postgres' throws when there is none.
 */
export async function openTestStore(target: TestTarget = 'auto'): Promise<TestStore> {
  if (target === 'pglite') return openPgliteTestStore();
  const found = await findTestPostgres();
  if (found === undefined) {
    if (target === 'postgres') throw new Error('No test PostgreSQL: set TEST_DATABASE_URL or start Docker.');
    return openPgliteTestStore();
  }
  const { schema, drop } = await createTestSchema(found.databaseUrl);
  try {
    return new SchemaDroppingStore(await openStore({ databaseUrl: found.databaseUrl, schema }), schema, drop);
  } catch (error) {
    await drop();
    throw error;
  }
}

let migrated: Promise<Blob> | undefined;

/**
 * A migrated, empty in-memory PGlite store, started from a snapshot of one migrated once per
 * test file: opening PGlite from nothing runs initdb, several times slower than loading a
 * snapshot. migrate() still runs, and finds nothing to do. openStore({ inMemory: true }) itself
 * is tested in test/storage/open-store.test.ts.
 */
async function openPgliteTestStore(): Promise<TestStore> {
  const connection = await openMigratedPgliteConnection();
  const store = new SqlStore(connection);
  try {
    await store.migrate();
  } catch (error) {
    await connection.close();
    throw error;
  }
  return store;
}

/**
 * An in-memory PGlite connection already migrated (from the snapshot above), for a test that
 * needs the connection under its store, to change the database beneath it; close() it when done.
 */
export async function openMigratedPgliteConnection(): Promise<SqlConnection> {
  migrated ??= (async () => {
    const { connection } = await openMigrated({ inMemory: true });
    try {
      return await pgliteSnapshot(connection);
    } finally {
      await connection.close();
    }
  })();
  return openPgliteConnection(undefined, { snapshot: await migrated });
}

async function withClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

class SchemaDroppingStore implements TestStore {
  #dropped = false;

  constructor(
    private readonly inner: Store,
    readonly schema: string,
    private readonly drop: () => Promise<void>,
  ) {}

  get kind(): Store['kind'] {
    return this.inner.kind;
  }
  get cdsFeedback(): Store['cdsFeedback'] {
    return this.inner.cdsFeedback;
  }
  get audit(): Store['audit'] {
    return this.inner.audit;
  }
  get decisions(): Store['decisions'] {
    return this.inner.decisions;
  }
  get runHistory(): Store['runHistory'] {
    return this.inner.runHistory;
  }
  migrate(): Promise<void> {
    return this.inner.migrate();
  }
  upsertSubject(subject: Omit<StoredSubject, 'lastUpdated'>): Promise<StoredSubject> {
    return this.inner.upsertSubject(subject);
  }
  upsertSubjects(subjects: Omit<StoredSubject, 'lastUpdated'>[]): Promise<StoredSubject[]> {
    return this.inner.upsertSubjects(subjects);
  }
  writeSubjects(subjects: readonly (NewSubject | NewSubjectJson)[]): Promise<void> {
    return this.inner.writeSubjects(subjects);
  }
  getSubject(id: string): Promise<StoredSubject | undefined> {
    return this.inner.getSubject(id);
  }
  searchSubjects(query: SubjectQuery): Promise<{ total: number; items: StoredSubject[] }> {
    return this.inner.searchSubjects(query);
  }
  searchSeveralStudies(query: SeveralStudiesQuery): Promise<{ total: number; items: PatientResults[] }> {
    if (!this.inner.searchSeveralStudies) throw new Error('The store cannot search several studies.');
    return this.inner.searchSeveralStudies(query);
  }
  ping(): Promise<void> {
    return this.inner.ping();
  }
  async close(): Promise<void> {
    await this.inner.close();
    if (this.#dropped) return;
    this.#dropped = true;
    await this.drop();
  }
}

/** A fresh in-memory PGlite connection (no migrations), closed when the test ends. */
export async function testPgliteConnection(): Promise<SqlConnection> {
  const connection = await openPgliteConnection();
  onTestFinished(() => connection.close());
  return connection;
}

/** A connection (no migrations) in a fresh schema of the test PostgreSQL; both go when the test ends. */
export async function testPgConnection(databaseUrl: string): Promise<SqlConnection> {
  const { schema, drop } = await createTestSchema(databaseUrl);
  onTestFinished(drop);
  const connection = await openPgConnection({ databaseUrl, schema });
  onTestFinished(() => connection.close());
  return connection;
}

/** The service's whole storage (store, decisions, run history): a throwaway PostgreSQL schema when one is found, else in-memory PGlite. */
export async function testRunStorage(): Promise<RunStorage> {
  const found = await findTestPostgres();
  if (!found) return openRunStorage({ inMemory: true });
  const { schema, drop } = await createTestSchema(found.databaseUrl);
  const storage = await openRunStorage({ databaseUrl: found.databaseUrl, schema });
  return { ...storage, close: async () => { await storage.close(); await drop(); } };
}
