// The seam between the store and a database driver (Medplum-style): the store writes SQL once and
// runs it on embedded PGlite or on PostgreSQL through pg, whichever the deployment gives it.

export interface SqlResult<Row> {
  rows: Row[];
}

export interface SqlExecutor {
  /** One statement with `$1`-style parameters. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** A script of several statements and no parameters (migrations): drivers only allow that on the simple protocol. */
  exec(sql: string): Promise<void>;
}

export interface SqlConnection extends SqlExecutor {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in BEGIN … COMMIT; anything fn throws rolls back and is rethrown. Not reentrant. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /** Idempotent; queries after close reject. */
  close(): Promise<void>;
}

/** Thrown for any use of a connection after close(), the same on both drivers. */
export class ConnectionClosedError extends Error {
  constructor() {
    super('The storage connection is closed.');
    this.name = 'ConnectionClosedError';
  }
}
