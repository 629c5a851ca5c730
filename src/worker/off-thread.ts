// Screening threads a request thread may hand work to, and do without: they start with the first
// request (which the request thread handles itself meanwhile), and whatever they cannot answer
// (not ready, a thread that died, a request it declines) is `undefined`, so the caller does the
// work itself with the same answers and the same errors. CDS Hooks (cds-hooks/screen-threads.ts)
// and the one-study $screen (http/screen-body-threads.ts) use it. size 0: no threads at all.

import { availableParallelism } from 'node:os';
import { SCREENING_THREAD_LIMITS } from './start-worker.js';
import { WorkerPool } from './worker-pool.js';

/** The threads a service starts for each kind of work when its setting is unset: one per core beyond the first, at most 2. */
export function defaultOffThreads(): number {
  return Math.min(2, availableParallelism() - 1);
}

export interface OffThreadOptions {
  /** The caller's import.meta.url and the worker module's name beside it, without extension. */
  callerUrl: string;
  module: string;
  workerData: unknown;
}

export class OffThread<Request, Reply> {
  readonly #pool: WorkerPool<Request, Reply | undefined> | undefined;

  constructor(
    private readonly size: number,
    options: OffThreadOptions,
  ) {
    this.#pool =
      size === 0
        ? undefined
        : new WorkerPool({ ...options, resourceLimits: SCREENING_THREAD_LIMITS, size, onLost: 'replace', unref: true });
  }

  /** The request answered off the request thread, or undefined: then the caller does it itself. */
  screen(request: Request): Promise<Reply | undefined> {
    const pool = this.#pool;
    if (!pool) return Promise.resolve(undefined);
    // Starts the threads missing (the first call, or after one died); this call does not wait for them.
    if (pool.size < this.size) void pool.start().catch(() => undefined);
    if (!pool.ready) return Promise.resolve(undefined);
    return pool.request(request).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.#pool?.close();
  }
}
