// The helper other tests stand on: it must isolate parallel files and clean up after itself.
import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import { findTestPostgres, openTestStore } from '../helpers/test-store.js';
import { subject } from './store-contract.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();

describe('openTestStore', () => {
  it('gives PostgreSQL when there is one, PGlite otherwise', async () => {
    const store = await openTestStore();
    onTestFinished(() => store.close());
    expect(store.kind).toBe(postgres === undefined ? 'pglite' : 'postgres');
  });

  it('gives each store its own empty database', async () => {
    const [a, b] = await Promise.all([openTestStore(), openTestStore()]);
    onTestFinished(async () => {
      await Promise.all([a.close(), b.close()]);
    });
    await a.upsertSubject(subject('only-in-a'));
    expect(await b.getSubject('only-in-a')).toBeUndefined();
    expect((await b.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('openTestStore on PostgreSQL', () => {
  async function schemaExists(schema: string): Promise<boolean> {
    const client = new pg.Client({ connectionString: postgres!.databaseUrl });
    await client.connect();
    try {
      const result = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
      return result.rows.length === 1;
    } finally {
      await client.end();
    }
  }

  it('keeps its tables in a schema of its own and drops it on close', async () => {
    const store = await openTestStore('postgres');
    const schema = store.schema!;
    expect(schema).toMatch(/^test_[0-9a-f]{16}$/);
    expect(await schemaExists(schema)).toBe(true);
    await store.close();
    expect(await schemaExists(schema)).toBe(false);
    await expect(store.close()).resolves.toBeUndefined();
  });
});
