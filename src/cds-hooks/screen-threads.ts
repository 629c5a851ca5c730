// Screening threads for patient-view calls. Parsing a prefetch and screening it is the CPU of a
// call; on the request thread it also holds up every other caller's I/O, and a 2-core machine
// runs one call at a time. Here a call whose prefetch is complete is parsed and screened on a
// worker thread from the text that arrived, while the request thread stores results and
// answers. CDS_SCREEN_THREADS=0 keeps everything on the request thread.
//
// Threads start with the first call (that call is screened on the request thread meanwhile),
// so an app that never serves CDS Hooks never pays for them. A thread that dies is replaced by
// the next call; what it had in hand is answered `undefined`, and the request thread screens it.

import type { Worker } from 'node:worker_threads';
import type { Evaluation } from '../screening/evaluation.js';
import type { ResourceJson } from '../storage/resource-json.js';
import { SCREENING_THREAD_LIMITS, startWorker } from '../worker/start-worker.js';

export interface ScreenThreadSetup {
  mappingsDir: string;
  canonicalBase: string;
  maxEntries: number;
}

export interface ScreenThreadRequest {
  id: number;
  serviceId: string;
  /** The study's mapping contentHash on the request thread. */
  contentHash: string;
  text: string;
  today: string;
}

export interface OffThreadScreening {
  /** The call without its prefetch: what the route validates and reads. */
  envelope: Record<string, unknown>;
  evaluation: Evaluation;
  /** The rendered ResearchSubject's id. */
  subjectId: string;
  /**
   * The rendered ResearchSubject as the JSON text it is stored as, made on the screening thread:
   * the request thread only stores it, so it neither rebuilds the object from the message nor
   * stringifies it again.
   */
  subjectJson: ResourceJson;
}

export interface ScreenThreadReply {
  id: number;
  screened: OffThreadScreening | undefined;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Terminated on purpose (an unreadable reply): not a death that counts against restarting. */
  retired: boolean;
  waiting: Map<number, (screened: OffThreadScreening | undefined) => void>;
}

const MAX_DEATHS = 3;

export class ScreenThreads {
  readonly #slots: Slot[] = [];
  #nextId = 0;
  #closed = false;
  /** Threads that died; past a few (a broken install), no more are started. */
  #deaths = 0;

  constructor(
    private readonly size: number,
    private readonly setup: ScreenThreadSetup,
  ) {}

  /** The call screened off the request thread, or undefined: then the caller does it itself. */
  screen(request: Omit<ScreenThreadRequest, 'id'>): Promise<OffThreadScreening | undefined> {
    if (this.size === 0 || this.#closed) return Promise.resolve(undefined);
    while (this.#slots.length < this.size && this.#deaths < MAX_DEATHS) this.#spawn();
    const ready = this.#slots.filter((s) => s.ready);
    if (ready.length === 0) return Promise.resolve(undefined);
    const slot = ready.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = this.#nextId++;
    return new Promise((resolve) => {
      slot.waiting.set(id, resolve);
      slot.worker.postMessage({ ...request, id } satisfies ScreenThreadRequest);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    const slots = this.#slots.splice(0);
    for (const slot of slots) for (const resolve of slot.waiting.values()) resolve(undefined);
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  #spawn(): void {
    const worker = startWorker(import.meta.url, 'screen-thread-worker', this.setup, SCREENING_THREAD_LIMITS);
    const slot: Slot = { worker, ready: false, retired: false, waiting: new Map() };
    this.#slots.push(slot);
    // Not kept alive by its thread: closing the app is what ends it, and a test that forgets
    // to close must not hang the runner.
    worker.unref();
    worker.on('message', (message: ScreenThreadReply | { ready: true }) => {
      if ('ready' in message) {
        slot.ready = true;
        return;
      }
      const resolve = slot.waiting.get(message.id);
      slot.waiting.delete(message.id);
      resolve?.(message.screened);
    });
    // A reply that cannot be read names no request: retire the thread, so that everything it
    // had in hand goes back to the request thread (a lost reply would leave its call waiting).
    worker.on('messageerror', () => {
      slot.retired = true;
      void worker.terminate();
    });
    const gone = (): void => {
      const at = this.#slots.indexOf(slot);
      if (at < 0) return;
      this.#slots.splice(at, 1);
      if (!this.#closed && !slot.retired) this.#deaths += 1;
      for (const resolve of slot.waiting.values()) resolve(undefined);
      slot.waiting.clear();
    };
    worker.on('error', gone);
    worker.on('exit', gone);
  }
}
