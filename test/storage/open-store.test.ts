import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openStore } from '../../src/storage/open-store.js';
import { DatabaseUnreachableError } from '../../src/storage/pg-connection.js';
import { createTestSchema, findTestPostgres } from '../helpers/test-store.js';
import { subject } from './store-contract.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'prescreen-store-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function failureOf(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

describe('openStore with PGlite', () => {
  it('creates a missing data folder and keeps the worklist across a restart', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const first = await openStore({ dataDir });
    expect(first.kind).toBe('pglite');
    const stored = await first.upsertSubject(subject('rs-1'));
    await first.close();
    expect((await stat(dataDir)).isDirectory()).toBe(true);

    const second = await openStore({ dataDir });
    onTestFinished(() => second.close());
    expect(await second.getSubject('rs-1')).toEqual(stored);
  });

  it('runs in memory when asked, and forgets on close', async () => {
    const store = await openStore({ inMemory: true });
    await store.upsertSubject(subject('rs-1'));
    await store.close();
    const again = await openStore({ inMemory: true });
    onTestFinished(() => again.close());
    expect(await again.getSubject('rs-1')).toBeUndefined();
  });

  it('refuses to guess when nothing is configured', async () => {
    const error = await failureOf(openStore({}));
    expect(error.message).toMatch(/DATABASE_URL or DATA_DIR/);
    await failureOf(openStore({ databaseUrl: '', dataDir: '' }));
  });

  it('fails on a data folder it cannot create', async () => {
    const file = join(await tempDir(), 'a-file');
    await (await import('node:fs/promises')).writeFile(file, 'not a folder');
    await failureOf(openStore({ dataDir: join(file, 'data') }));
  });
});

describe('openStore with a bad DATABASE_URL', () => {
  const password = 'hunter2-Sup3r.secret';

  it.each([
    ['not a URL', 'not a url with hunter2-Sup3r.secret'],
    ['a bad port', `postgres://prescreen:${password}@127.0.0.1:notaport/db`],
    ['another scheme', `mysql://prescreen:${password}@127.0.0.1:3306/db`],
  ])('rejects %s clearly, without the password', async (_label, databaseUrl) => {
    const error = await failureOf(openStore({ databaseUrl }));
    expect(error.message).toMatch(/DATABASE_URL/);
    expect(JSON.stringify({ message: error.message, stack: error.stack, cause: error.cause })).not.toContain(password);
  });

  it('names an unreachable server without the password', async () => {
    const error = await failureOf(openStore({ databaseUrl: `postgres://prescreen:${password}@127.0.0.1:1/db` }));
    expect(error).toBeInstanceOf(DatabaseUnreachableError);
    expect((error as DatabaseUnreachableError).code).toBe('ECONNREFUSED');
    expect(error.message).toMatch(/^Cannot reach PostgreSQL at postgres:\/\/prescreen@127\.0\.0\.1:1\/db: .*ECONNREFUSED/);
    expect(error.message).not.toContain(password);
    expect(error.stack ?? '').not.toContain(password);
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    const error = await failureOf(
      openStore({ databaseUrl: 'postgres://x@127.0.0.1:1/db', schema: 'public; DROP TABLE x' }),
    );
    expect(error.message).toMatch(/schema/);
  });
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('openStore with PostgreSQL', () => {
  it('opens and migrates into the given schema', async () => {
    const { schema, drop } = await createTestSchema(postgres!.databaseUrl);
    onTestFinished(drop);
    const store = await openStore({ databaseUrl: postgres!.databaseUrl, schema });
    onTestFinished(() => store.close());
    expect(store.kind).toBe('postgres');
    await store.upsertSubject(subject('rs-1'));
    expect(await store.getSubject('rs-1')).toBeDefined();
  });

  it('names a missing database without the password', async () => {
    const url = new URL(postgres!.databaseUrl);
    url.pathname = '/no_such_database_here';
    url.password = 'hunter2-Sup3r.secret';
    const error = await failureOf(openStore({ databaseUrl: url.toString() }));
    expect(error.message).toMatch(/^Cannot reach PostgreSQL at .*\/no_such_database_here: .*does not exist/);
    expect((error as DatabaseUnreachableError).code).toBe('3D000');
    expect(error.message).not.toContain('hunter2');
  });

  it('fails when the schema does not exist rather than writing elsewhere', async () => {
    await failureOf(openStore({ databaseUrl: postgres!.databaseUrl, schema: 'no_such_schema_here' }));
  });
});
