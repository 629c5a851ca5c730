import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { ConnectionClosedError, type SqlConnection, type SqlExecutor, type SqlResult } from './sql-connection.js';
import { storableParams } from './storable-params.js';

// PGlite's default shared_buffers is PostgreSQL's 128 MB, all of it WebAssembly memory in our
// process; one connection and tables of a few hundred MB do as well with 16 MB, and the process
// peaks ~120 MB lower. A start parameter, not postgresql.conf: PGlite's `postgresqlconf` option
// rewrites that file whole, dropping what initdb put there.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/** Embedded PostgreSQL: in the folder dataDir (created if missing), or in memory without one. */
export async function openPgliteConnection(dataDir?: string): Promise<SqlConnection> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { startParams: START_PARAMS });
  return new PgliteConnection(db);
}

class PgliteConnection implements SqlConnection {
  readonly kind = 'pglite';
  #closed = false;

  constructor(private readonly db: PGlite) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    this.#assertOpen();
    return executorOf(this.db).query<Row>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#assertOpen();
    await this.db.exec(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#assertOpen();
    return this.db.transaction((tx) => fn(executorOf(tx)));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.db.close();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConnectionClosedError();
  }
}

function executorOf(target: PGlite | Transaction): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(sql, storableParams(params));
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}
