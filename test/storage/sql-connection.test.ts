import { describe, expect, it, onTestFinished } from 'vitest';
import { openPgConnection } from '../../src/storage/pg-connection.js';
import { openPgliteConnection } from '../../src/storage/pglite-connection.js';
import { ConnectionClosedError, type SqlConnection } from '../../src/storage/sql-connection.js';
import { createTestSchema, findTestPostgres } from '../helpers/test-store.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';

const postgres = await findTestPostgres();

async function openPg(maxConnections?: number): Promise<SqlConnection> {
  const { databaseUrl } = postgres!;
  const { schema, drop } = await createTestSchema(databaseUrl);
  const connection = await openPgConnection({
    databaseUrl,
    schema,
    ...(maxConnections === undefined ? {} : { maxConnections }),
  });
  onTestFinished(async () => {
    await connection.close();
    await drop();
  });
  return connection;
}

async function openPglite(): Promise<SqlConnection> {
  const connection = await openPgliteConnection();
  onTestFinished(() => connection.close());
  return connection;
}

function connectionContract(open: () => Promise<SqlConnection>): void {
  async function withTable(): Promise<SqlConnection> {
    const connection = await open();
    await connection.exec('CREATE TABLE t (id int PRIMARY KEY, note text); CREATE INDEX t_note ON t (note);');
    return connection;
  }
  const count = async (connection: SqlConnection) =>
    (await connection.query<{ n: number }>('SELECT count(*)::int AS n FROM t')).rows[0]?.n;

  it('runs parameterised queries and multi-statement scripts', async () => {
    const connection = await withTable();
    await connection.query('INSERT INTO t VALUES ($1, $2)', [1, 'one']);
    const result = await connection.query<{ id: number; note: string }>('SELECT id, note FROM t WHERE id = $1', [1]);
    expect(result.rows).toEqual([{ id: 1, note: 'one' }]);
  });

  it('commits a transaction and returns what fn returned', async () => {
    const connection = await withTable();
    const returned = await connection.transaction(async (tx) => {
      await tx.query('INSERT INTO t VALUES (1, $1), (2, $1)', ['x']);
      return 'done';
    });
    expect(returned).toBe('done');
    expect(await count(connection)).toBe(2);
  });

  it('rolls back everything when fn throws, and rethrows that same error', async () => {
    const connection = await withTable();
    const thrown = new Error('stop here');
    await expect(
      connection.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1, $1)', ['x']);
        await tx.exec("INSERT INTO t VALUES (2, 'y'); INSERT INTO t VALUES (3, 'z');");
        throw thrown;
      }),
    ).rejects.toBe(thrown);
    expect(await count(connection)).toBe(0);
  });

  it('rolls back earlier statements when a later statement fails, and stays usable', async () => {
    const connection = await withTable();
    await expect(
      connection.transaction(async (tx) => {
        await tx.query('INSERT INTO t VALUES (1, $1)', ['x']);
        await tx.query('INSERT INTO t VALUES (1, $1)', ['duplicate key']);
      }),
    ).rejects.toThrow(/duplicate key|unique/i);
    expect(await count(connection)).toBe(0);
    await connection.transaction((tx) => tx.query('INSERT INTO t VALUES (1, $1)', ['x']));
    expect(await count(connection)).toBe(1);
  });

  it('rejects every use after close, and closes twice without complaint', async () => {
    const connection = await open();
    await connection.close();
    await expect(connection.query('SELECT 1')).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(connection.exec('SELECT 1')).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(connection.transaction(async () => 1)).rejects.toBeInstanceOf(ConnectionClosedError);
    await expect(connection.close()).resolves.toBeUndefined();
  });
}

describe('PGlite connection', () => {
  connectionContract(openPglite);

  it('says what it is', async () => {
    expect((await openPglite()).kind).toBe('pglite');
  });
});

describe.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('PostgreSQL connection', () => {
  connectionContract(() => openPg());

  it('says what it is', async () => {
    expect((await openPg()).kind).toBe('postgres');
  });

  it('gives the pooled client back after a failed transaction', async () => {
    // With a pool of one, a client leaked by the failure would make the next call wait forever.
    const connection = await openPg(1);
    for (let i = 0; i < 3; i++) {
      await expect(connection.transaction((tx) => tx.query('SELECT no_such_column FROM pg_class'))).rejects.toThrow();
    }
    await expect(connection.query('SELECT 1 AS one')).resolves.toEqual({ rows: [{ one: 1 }] });
  });

  it('works only inside its own schema', async () => {
    const connection = await openPg();
    await connection.exec('CREATE TABLE mine (id int)');
    const where = await connection.query<{ schema: string }>(
      "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'mine'",
    );
    expect(where.rows).toHaveLength(1);
    expect(where.rows[0]?.schema).toMatch(/^test_[0-9a-f]{16}$/);
  });
});
