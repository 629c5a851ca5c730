import pg from 'pg';
import { describeDatabaseUrl, parseDatabaseUrl, scrubPassword } from './database-url.js';
import { ConnectionClosedError, type SqlConnection, type SqlExecutor, type SqlResult } from './sql-connection.js';
import { storableParams } from './storable-params.js';

export interface PgConnectionOptions {
  /** postgres://user:password@host:port/database */
  databaseUrl: string;
  /** An existing schema to work in alone (search_path), e.g. one per test file. Default: the server's. */
  schema?: string;
  /** Pool size; default 10. */
  maxConnections?: number;
  /** How long to wait for a connection before failing; default 10 s. */
  connectTimeoutMs?: number;
  /**
   * A pooled idle connection that breaks (server restart, network) is dropped and replaced on the
   * next query; without a listener pg would crash the process, so errors land here.
   */
  onIdleError?: (error: Error) => void;
}

/** The server could not be reached or refused us. The message is safe to log: it never holds the password. */
export class DatabaseUnreachableError extends Error {
  /** The driver's code (ECONNREFUSED, 28P01, 3D000, …) when it gave one. */
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'DatabaseUnreachableError';
    this.code = code;
  }
}

/** A pg Pool, checked with one round trip so a bad URL or a down server fails here, clearly. */
export async function openPgConnection(options: PgConnectionOptions): Promise<SqlConnection> {
  const url = parseDatabaseUrl(options.databaseUrl);
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(options.schema)) {
    throw new Error('The PostgreSQL schema name must be a lower-case SQL identifier.');
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseUnreachableError(
      `Cannot reach PostgreSQL at ${describeDatabaseUrl(url)}: ${reasonOf(error, url)}`,
      codeOf(error),
    );
  }
  return new PgConnection(pool);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

function reasonOf(error: unknown, url: URL): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = codeOf(error);
  const text = code !== undefined && !error.message.includes(code) ? `${code} ${error.message}` : error.message;
  return scrubPassword(text, url);
}

class PgConnection implements SqlConnection {
  readonly kind = 'postgres';
  #closed = false;

  constructor(private readonly pool: pg.Pool) {}

  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
    this.#assertOpen();
    return executorOf(this.pool).query<Row>(sql, params);
  }

  async exec(sql: string): Promise<void> {
    this.#assertOpen();
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.#assertOpen();
    const client = await this.pool.connect();
    // A client whose ROLLBACK failed may still be inside the transaction: destroy it, never reuse it.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(executorOf(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.pool.end();
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConnectionClosedError();
  }
}

function executorOf(target: pg.Pool | pg.PoolClient): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await target.query(sql, storableParams(params));
      return { rows: result.rows as Row[] };
    },
    async exec(sql: string) {
      // No parameters keeps pg on the simple protocol, which accepts several statements.
      await target.query(sql);
    },
  };
}
