// The one pool of screening threads (src/worker/worker-pool.ts) that CDS Hooks and the finder
// share, on a small test worker: replies by id, the least-loaded ready worker, and what a lost
// worker means under each rule ('fail' for the finder, 'replace' for CDS).

import { afterEach, describe, expect, it } from 'vitest';
import { SCREENING_THREAD_LIMITS } from '../../src/worker/start-worker.js';
import { WorkerPool, type WorkerPoolOptions } from '../../src/worker/worker-pool.js';
import type { TestReply, TestRequest } from '../fixtures/workers/test-worker.js';

const WORKER_URL = new URL('../fixtures/workers/test-worker.ts', import.meta.url).href;
const pools: WorkerPool<TestRequest, TestReply>[] = [];

function pool(options: Partial<WorkerPoolOptions> & Pick<WorkerPoolOptions, 'onLost'>, workerData: unknown = {}): WorkerPool<TestRequest, TestReply> {
  const p = new WorkerPool<TestRequest, TestReply>({ callerUrl: WORKER_URL, module: 'test-worker', workerData, resourceLimits: SCREENING_THREAD_LIMITS, size: 1, ...options });
  pools.push(p);
  return p;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.close()));
});

describe('WorkerPool', { timeout: 60_000 }, () => {
  it('answers each request with its own reply, spreading them over the ready workers', async () => {
    const p = pool({ onLost: 'fail', size: 2 });
    expect(p.ready).toBe(false);
    await p.start();
    expect(p.ready).toBe(true);
    const replies = await Promise.all(['a', 'b', 'c', 'd'].map((value) => p.request({ kind: 'echo', value, waitMs: 50 })));
    expect(replies.map((r) => r.value)).toEqual(['a', 'b', 'c', 'd']);
    // The fewest in hand: two each, on two threads.
    const threads = replies.map((r) => r.threadId);
    expect(new Set(threads).size).toBe(2);
    expect(threads.filter((t) => t === threads[0]).length).toBe(2);
    expect(p.inFlight).toBe(0);
  });

  it('rejects a request whose handler throws, with only the error kind, and carries on', async () => {
    const p = pool({ onLost: 'fail' });
    await p.start();
    await expect(p.request({ kind: 'throw', message: 'Patient/secret' })).rejects.toThrow(/could not answer: TypeError$/);
    await expect(p.request({ kind: 'echo', value: 'still here' })).resolves.toMatchObject({ value: 'still here' });
  });

  it("'fail': a worker that dies rejects its requests and every later one, and is not replaced", async () => {
    const p = pool({ onLost: 'fail', size: 2 });
    await p.start();
    await expect(p.request({ kind: 'exit', code: 7 })).rejects.toThrow('a screening worker exited with code 7');
    await expect(p.request({ kind: 'echo', value: 'x' })).rejects.toThrow('exited with code 7');
    await expect(p.start()).rejects.toThrow('exited with code 7');
    expect(p.ready).toBe(false);
  });

  it("'replace': a worker that dies rejects its requests, the next start() replaces it, up to three deaths", async () => {
    const p = pool({ onLost: 'replace' });
    await p.start();
    for (let death = 1; death <= 3; death++) {
      await expect(p.request({ kind: 'exit', code: 1 })).rejects.toThrow('exited with code 1');
      if (death < 3) {
        await p.start();
        await expect(p.request({ kind: 'echo', value: `after ${death}` })).resolves.toMatchObject({ value: `after ${death}` });
      }
    }
    // A broken install: no fourth thread; the caller screens everything itself.
    await p.start();
    expect(p.size).toBe(0);
    expect(p.ready).toBe(false);
    await expect(p.request({ kind: 'echo', value: 'x' })).rejects.toThrow('no screening worker is ready');
  });

  it('start() rejects when a worker fails before it is ready', async () => {
    const p = pool({ onLost: 'fail' }, { failAtLoad: true });
    await expect(p.start()).rejects.toThrow('a screening worker failed: Error: the study cannot be loaded here');
  });

  it("close() ends the workers, and under 'replace' rejects what is in hand (the caller screens it)", async () => {
    const p = pool({ onLost: 'replace' });
    await p.start();
    const waiting = p.request({ kind: 'echo', value: 'slow', waitMs: 5_000 }).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await p.close();
    expect(await waiting).toBe('the screening pool is closed');
    expect(p.size).toBe(0);
    expect(p.ready).toBe(false);
  });
});
