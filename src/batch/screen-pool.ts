// The finder's screening workers: the shared pool (worker/worker-pool.ts) with the finder's
// failure rule. Each worker loads the study once; jobs go in batches to the worker with the
// fewest in flight. A worker that dies fails the run ('fail'): a silently lost batch would break
// "every patient once".

import type { ResourceLimits } from 'node:worker_threads';
import { SCREENING_THREAD_LIMITS } from '../worker/start-worker.js';
import { WorkerPool } from '../worker/worker-pool.js';
import type { ScreenJob, ScreenOutcome } from './screen-job.js';
import type { WorkerSetup } from './screen-worker.js';

/**
 * A finder job is a batch of whole records (a myositis candidate's is about 300 kB of JSON,
 * several MB parsed), far more than a service call's one patient: in the service threads'
 * 16 MB young generation most of it outlived a scavenge and was promoted, and collecting the
 * old generation took a third of a screening thread's time on the 100,000-patient bench.
 * 32 MB lets a batch die young: that collection fell to under 1.5 s of 50, and the run's peak
 * resident memory stayed where it was (about 400–440 MB).
 */
const FINDER_THREAD_LIMITS: ResourceLimits = { ...SCREENING_THREAD_LIMITS, maxYoungGenerationSizeMb: 32 };

export class ScreenPool {
  private constructor(private readonly pool: WorkerPool<ScreenJob[], ScreenOutcome[]>) {}

  /** Every worker ready, or the first one's failure to start (e.g. the study changed meanwhile). */
  static async start(size: number, setup: WorkerSetup): Promise<ScreenPool> {
    const pool = new WorkerPool<ScreenJob[], ScreenOutcome[]>({
      callerUrl: import.meta.url,
      module: 'screen-worker',
      workerData: setup,
      resourceLimits: FINDER_THREAD_LIMITS,
      size: Math.max(1, size),
      onLost: 'fail',
    });
    try {
      await pool.start();
    } catch (error) {
      await pool.close();
      throw error;
    }
    return new ScreenPool(pool);
  }

  get size(): number {
    return this.pool.size;
  }

  /** Jobs currently posted and not answered. */
  get inFlight(): number {
    return this.pool.inFlight;
  }

  screen(jobs: ScreenJob[]): Promise<ScreenOutcome[]> {
    return this.pool.request(jobs);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
