// node:worker_threads pool for screening (no piscina: one message type, one failure rule).
// Each worker loads the study once; jobs go in batches to the worker with the fewest in flight.
// A worker that dies fails the run: a silently lost batch would break "every patient once".

import type { Worker } from 'node:worker_threads';
import { SCREENING_THREAD_LIMITS, startWorker } from '../worker/start-worker.js';
import type { ScreenJob, ScreenOutcome } from './screen-job.js';
import type { WorkerReply, WorkerSetup } from './screen-worker.js';

interface Slot {
  worker: Worker;
  inFlight: number;
}

interface Pending {
  resolve(outcomes: ScreenOutcome[]): void;
  reject(error: Error): void;
  slot: Slot;
}

export class ScreenPool {
  readonly #slots: Slot[] = [];
  readonly #pending = new Map<number, Pending>();
  #nextId = 0;
  #failure: Error | undefined;

  private constructor() {}

  static async start(size: number, setup: WorkerSetup): Promise<ScreenPool> {
    const pool = new ScreenPool();
    try {
      await Promise.all(Array.from({ length: Math.max(1, size) }, () => pool.#spawn(setup)));
    } catch (error) {
      await pool.close();
      throw error;
    }
    return pool;
  }

  get size(): number {
    return this.#slots.length;
  }

  /** Jobs currently posted and not answered. */
  get inFlight(): number {
    return this.#pending.size;
  }

  screen(jobs: ScreenJob[]): Promise<ScreenOutcome[]> {
    if (this.#failure) return Promise.reject(this.#failure);
    const slot = this.#slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.#nextId++;
    slot.inFlight += 1;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, slot });
      slot.worker.postMessage({ id, jobs });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    this.#slots.length = 0;
  }

  #spawn(setup: WorkerSetup): Promise<void> {
    const worker = workerFor(setup);
    const slot: Slot = { worker, inFlight: 0 };
    this.#slots.push(slot);
    return new Promise((ready, failed) => {
      let started = false;
      worker.on('message', (message: WorkerReply | { ready: true }) => {
        if ('ready' in message) {
          started = true;
          ready();
          return;
        }
        const pending = this.#pending.get(message.id);
        if (!pending) return;
        this.#pending.delete(message.id);
        pending.slot.inFlight -= 1;
        pending.resolve(message.outcomes);
      });
      const die = (error: Error): void => {
        this.#failure ??= error;
        for (const [id, pending] of this.#pending) {
          if (pending.slot !== slot) continue;
          this.#pending.delete(id);
          pending.reject(error);
        }
        if (!started) failed(error);
      };
      worker.on('error', (error) => die(new Error(`a screening worker failed: ${error.name}: ${error.message}`)));
      worker.on('exit', (code) => {
        if (code !== 0) die(new Error(`a screening worker exited with code ${code}`));
      });
    });
  }
}

function workerFor(setup: WorkerSetup): Worker {
  return startWorker(import.meta.url, 'screen-worker', setup, SCREENING_THREAD_LIMITS);
}
