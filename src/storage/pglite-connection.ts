import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './data-dir-lock.js';
import { defaultTemplatePath, readTemplate } from './pglite-template.js';
import { ConnectionClosedError, type SqlConnection, type SqlExecutor, type SqlResult } from './sql-connection.js';
import { storableParams } from './storable-params.js';

// PGlite's default shared_buffers is PostgreSQL's 128 MB, all of it WebAssembly memory in our
// process; one connection does as well with 16 MB, and the process's peak memory falls with
// it. A start parameter, not postgresql.conf: PGlite's `postgresqlconf` option
// rewrites that file whole, dropping what initdb put there.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * For a process that opens PGlite for one bounded job (the nightly finder), before it opens
 * it: compile PostgreSQL's WebAssembly with V8's baseline compiler (Liftoff) only. By default
 * V8 also recompiles the hot functions with TurboFan on background threads, and those
 * compilations leave malloc arenas resident for the rest of the process and compete with the
 * job for the same cores: a bounded job ends with less memory resident and no later without
 * them.
 * V8 reads the flag when a module is compiled; it is process-wide, so the long-running
 * service, whose PGlite stays hot for days, does not call this.
 */
export function compilePgliteLean(): void {
  setFlagsFromString('--liftoff-only');
}

/**
 * Embedded PostgreSQL: in the folder dataDir (created if missing), or in memory without one.
 * A folder without a database yet starts from the empty database at `template`
 * (pglite-template.ts; default: the one `npm run build` made) when there is one.
 * A folder is locked for this process until close (data-dir-lock.ts): a second process gets a
 * DataDirInUseError naming `role` of the holder, and the folder is left untouched. In memory,
 * `snapshot` (from pgliteSnapshot) is the starting content instead of an empty database: loading
 * one skips initdb, most of the time PGlite takes to open.
 */
export async function openPgliteConnection(
  dataDir?: string,
  options: { role?: string; snapshot?: Blob; template?: string } = {},
): Promise<SqlConnection> {
  if (dataDir === undefined) {
    const { snapshot } = options;
    return new PgliteConnection(await PGlite.create(undefined, { startParams: START_PARAMS, ...(snapshot === undefined ? {} : { loadDataDir: snapshot }) }));
  }
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir, options.role ?? 'a fhir-prescreen process');
  try {
    const template = existsSync(join(dataDir, 'PG_VERSION')) ? undefined : readTemplate(options.template ?? defaultTemplatePath());
    return new PgliteConnection(await PGlite.create(dataDir, { startParams: START_PARAMS, ...(template === undefined ? {} : { loadDataDir: template }) }), lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/** A copy of a PGlite connection's whole database, for openPgliteConnection to start from. */
export async function pgliteSnapshot(connection: SqlConnection): Promise<Blob> {
  if (!(connection instanceof PgliteConnection)) throw new Error(`a snapshot needs a PGlite connection, not ${connection.kind}`);
  return connection.snapshot();
}

class PgliteConnection implements SqlConnection {
  readonly kind = 'pglite';
  #closed = false;

  constructor(
    private readonly db: PGlite,
    private readonly lock?: DataDirLock,
  ) {}

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

  async snapshot(): Promise<Blob> {
    this.#assertOpen();
    return this.db.dumpDataDir('none');
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.db.close();
    } finally {
      await this.lock?.release();
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new ConnectionClosedError();
  }
}

/**
 * A text parameter sent as it is, past storableParams: for text that is already valid to
 * store and whose `\u0000` escapes must survive (the resource store's NDJSON records). Only
 * this connection unwraps it.
 */
export class VerbatimText {
  constructor(readonly text: string) {}
}

function executorOf(target: PGlite | Transaction): SqlExecutor {
  return {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const values = storableParams(params).map((p) => (p instanceof VerbatimText ? p.text : p));
      const result = await target.query<Row>(sql, values);
      return { rows: result.rows };
    },
    async exec(sql: string) {
      await target.exec(sql);
    },
  };
}
