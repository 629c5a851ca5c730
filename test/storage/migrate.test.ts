import { describe, expect, it, onTestFinished } from 'vitest';
import { runMigrations } from '../../src/storage/migrate.js';
import { MIGRATIONS } from '../../src/storage/migrations/index.js';
import type { Migration } from '../../src/storage/migrations/migration.js';
import { openPgConnection } from '../../src/storage/pg-connection.js';
import type { SqlConnection } from '../../src/storage/sql-connection.js';
import { createTestSchema, findTestPostgres, testPgliteConnection } from '../helpers/test-store.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();

async function appliedIds(connection: SqlConnection): Promise<string[]> {
  const result = await connection.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
  return result.rows.map((row) => row.id);
}

async function tableExists(connection: SqlConnection, name: string): Promise<boolean> {
  const result = await connection.query<{ found: string | null }>('SELECT to_regclass($1)::text AS found', [name]);
  return result.rows[0]?.found !== null;
}

describe('the migration list', () => {
  it('has unique NNN-name ids in ascending order', () => {
    const ids = MIGRATIONS.map((m) => m.id);
    for (const id of ids) expect(id).toMatch(/^\d{3}-[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

function migrationContract(open: () => Promise<SqlConnection>): void {
  it('applies every migration once, records it, and then has nothing to do', async () => {
    const connection = await open();
    expect(await runMigrations(connection)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await appliedIds(connection)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await tableExists(connection, 'research_subject')).toBe(true);
    expect(await runMigrations(connection)).toEqual([]);
    expect(await appliedIds(connection)).toEqual(MIGRATIONS.map((m) => m.id));
  });

  it('leaves a failing migration wholly unapplied and unrecorded, keeping the ones before it', async () => {
    const connection = await open();
    const good: Migration = { id: '001-good', sql: 'CREATE TABLE good (id int);' };
    const bad: Migration = { id: '002-bad', sql: 'CREATE TABLE half (id int); SELECT no_such_function();' };

    await expect(runMigrations(connection, [good, bad])).rejects.toThrow(/no_such_function/);
    expect(await appliedIds(connection)).toEqual(['001-good']);
    expect(await tableExists(connection, 'good')).toBe(true);
    expect(await tableExists(connection, 'half')).toBe(false);

    const fixed: Migration = { id: '002-bad', sql: 'CREATE TABLE half (id int);' };
    expect(await runMigrations(connection, [good, fixed])).toEqual(['002-bad']);
  });
}

describe('migrations on PGlite', () => {
  migrationContract(testPgliteConnection);
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('migrations on PostgreSQL', () => {
  async function openInSchema(schema: string): Promise<SqlConnection> {
    const connection = await openPgConnection({ databaseUrl: postgres!.databaseUrl, schema });
    onTestFinished(() => connection.close());
    return connection;
  }
  async function freshSchema(): Promise<string> {
    const { schema, drop } = await createTestSchema(postgres!.databaseUrl);
    onTestFinished(drop);
    return schema;
  }

  migrationContract(async () => openInSchema(await freshSchema()));

  it('lets two processes start together: each migration runs exactly once', async () => {
    const schema = await freshSchema();
    const [a, b] = await Promise.all([openInSchema(schema), openInSchema(schema)]);
    // Slow, non-idempotent migrations: without the lock the second CREATE TABLE would fail.
    const slow: Migration[] = [
      { id: '001-one', sql: 'SELECT pg_sleep(0.3); CREATE TABLE one (id int);' },
      { id: '002-two', sql: 'SELECT pg_sleep(0.3); CREATE TABLE two (id int);' },
    ];

    const [byA, byB] = await Promise.all([runMigrations(a, slow), runMigrations(b, slow)]);

    expect([...byA, ...byB].sort()).toEqual(['001-one', '002-two']);
    expect(await appliedIds(a)).toEqual(['001-one', '002-two']);
  });

  it('lets two stores migrate the real list together', async () => {
    const schema = await freshSchema();
    const [a, b] = await Promise.all([openInSchema(schema), openInSchema(schema)]);
    const [byA, byB] = await Promise.all([runMigrations(a), runMigrations(b)]);
    expect([...byA, ...byB].sort()).toEqual(MIGRATIONS.map((m) => m.id));
  });
});
