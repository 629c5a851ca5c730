// The pool of screening threads (node:worker_threads; no piscina: one message shape, two failure
// rules). CDS Hooks and the one-study $screen (through worker/off-thread.ts) and the nightly
// finder (batch/screen-pool.ts) use it. A worker module answers through serve-requests.ts: it says it is ready once its
// study is loaded, then answers each request exactly once, by id. A request goes to the ready
// worker with the fewest in hand; the message carries the caller's own object, cloned once by
// postMessage and never copied here.
//
// What a worker that dies means is the caller's choice (`onLost`):
// - 'fail' (the finder): the pool is broken; that worker's requests and every later one are
//   rejected with the first death's error, since a silently lost batch would break "every
//   patient once".
// - 'replace' (CDS): that worker's requests are rejected (the caller screens them itself) and a
//   new worker starts at the next start(), up to MAX_DEATHS deaths (a broken install), after
//   which the pool carries on with the workers it has.
// A reply that cannot be read names no request: its worker is retired on purpose (not a death),
// so that everything it had in hand is rejected rather than left waiting.
// close() ends the workers. Under 'replace' what they had in hand is rejected, so a caller still
// waiting screens it itself; under 'fail' the run that used the pool has ended (finished or
// failed), and it is left unsettled, so an error path never adds a rejection nobody handles.

import type { ResourceLimits, Worker } from 'node:worker_threads';
import type { PoolReply, PoolRequest } from './serve-requests.js';
import { startWorker } from './start-worker.js';

export interface WorkerPoolOptions {
  /** The caller's import.meta.url and the worker module's name beside it, without extension. */
  callerUrl: string;
  module: string;
  workerData: unknown;
  resourceLimits: ResourceLimits;
  size: number;
  onLost: 'fail' | 'replace';
  /** Not kept alive by its threads: for a server, whose close ends them (a test that forgets must not hang). */
  unref?: boolean;
}

interface Waiting<Reply> {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

interface Slot<Reply> {
  worker: Worker;
  ready: boolean;
  /** Terminated on purpose (an unreadable reply): not a death. */
  retired: boolean;
  waiting: Map<number, Waiting<Reply>>;
  /** Settles when the worker is ready, or fails before it is. */
  started: Promise<void>;
}

const MAX_DEATHS = 3;

export class WorkerPool<Request, Reply> {
  readonly #slots: Slot<Reply>[] = [];
  #nextId = 0;
  #deaths = 0;
  #failure: Error | undefined;
  #closed = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Workers running (ready or starting). */
  get size(): number {
    return this.#slots.length;
  }

  /** Requests posted and not yet answered. */
  get inFlight(): number {
    return this.#slots.reduce((n, s) => n + s.waiting.size, 0);
  }

  /** Whether a worker can take a request now. */
  get ready(): boolean {
    return this.#failure === undefined && !this.#closed && this.#slots.some((s) => s.ready);
  }

  /** Starts the workers missing; resolves once every one is ready, rejects if one fails first. */
  start(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    while (!this.#closed && this.#slots.length < Math.max(1, this.options.size) && this.#deaths < MAX_DEATHS) this.#spawn();
    return Promise.all(this.#slots.map((s) => s.started)).then(() => undefined);
  }

  /** The reply of the ready worker with the fewest requests in hand; rejects if none is ready or it is lost. */
  request(message: Request): Promise<Reply> {
    if (this.#failure) return Promise.reject(this.#failure);
    const ready = this.#slots.filter((s) => s.ready);
    if (this.#closed || ready.length === 0) return Promise.reject(new Error('no screening worker is ready'));
    const slot = ready.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject });
      slot.worker.postMessage({ id, request: message } satisfies PoolRequest<Request>);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots.splice(0);
    if (this.options.onLost === 'replace') for (const slot of slots) this.#rejectAll(slot, new Error('the screening pool is closed'));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #spawn(): void {
    const worker = startWorker(this.options.callerUrl, this.options.module, this.options.workerData, this.options.resourceLimits);
    let started!: () => void;
    let failedToStart!: (error: Error) => void;
    const slot: Slot<Reply> = {
      worker,
      ready: false,
      retired: false,
      waiting: new Map(),
      started: new Promise((resolve, reject) => {
        started = resolve;
        failedToStart = reject;
      }),
    };
    // A pool started lazily (CDS) may never await this: its failure is the pool's to report.
    slot.started.catch(() => undefined);
    this.#slots.push(slot);
    if (this.options.unref) worker.unref();
    worker.on('message', (message: PoolReply<Reply>) => {
      if ('ready' in message) {
        slot.ready = true;
        started();
        return;
      }
      const waiting = slot.waiting.get(message.id);
      slot.waiting.delete(message.id);
      if ('failed' in message) waiting?.reject(new Error(`a screening worker could not answer: ${message.failed}`));
      else waiting?.resolve(message.reply);
    });
    worker.on('messageerror', () => {
      slot.retired = true;
      void worker.terminate();
    });
    const gone = (error: Error): void => {
      const at = this.#slots.indexOf(slot);
      if (at < 0) return;
      this.#slots.splice(at, 1);
      if (!this.#closed && !slot.retired) {
        this.#deaths += 1;
        if (this.options.onLost === 'fail') this.#failure ??= error;
      }
      this.#rejectAll(slot, error);
      failedToStart(error);
    };
    worker.on('error', (error) => gone(new Error(`a screening worker failed: ${error.name}: ${error.message}`)));
    worker.on('exit', (code) => gone(new Error(`a screening worker exited with code ${code}`)));
  }

  #rejectAll(slot: Slot<Reply>, error: Error): void {
    for (const waiting of slot.waiting.values()) waiting.reject(error);
    slot.waiting.clear();
  }
}
