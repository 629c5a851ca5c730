// --workers-from-queue: one night's screening shared by several machines through pg-boss on the
// run's PostgreSQL. The coordinator (the process given --input or --export) runs both passes,
// writes the candidates' resources to the resource store (migration 003) and publishes chunks
// of patient ids; every participant, the coordinator included, takes chunks, reads those
// patients' resources from the store, screens them on its own worker threads and records the
// results. A chunk's results commit in one transaction that skips patients already recorded
// for the run, so a chunk delivered twice (a consumer died after committing, pg-boss retried)
// still screens each patient exactly once. The coordinator waits until every patient of the
// run is recorded, then writes the funnel and worklist and finishes the run.

import PgBoss from 'pg-boss';
import type { Logger } from 'pino';
import { readStudyIdentity, type StudyIdentity } from '../screening/study-identity.js';
import type { RunStorage } from '../storage/open-run-storage.js';
import type { RunPatientResult, ScreeningRun } from '../storage/run-store.js';
import { toRunResult } from './run-result.js';
import type { ScreenJob } from './screen-job.js';
import { ScreenPool } from './screen-pool.js';

export interface ChunkData {
  runId: string;
  studyId: string;
  asOf: string;
  criteriaVersion: string;
  patientIds: string[];
}

export interface QueueOptions {
  databaseUrl: string;
  /** pg-boss's own schema; default `pgboss`. */
  schema?: string;
}

/** One pg-boss queue per study, so helpers started for a study take only its chunks. */
export function queueName(studyId: string): string {
  return `fhir-prescreen.screen.${studyId}`;
}

export class ScreenQueue {
  private constructor(readonly boss: PgBoss) {}

  static async open(options: QueueOptions): Promise<ScreenQueue> {
    const boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: options.schema ?? 'pgboss',
      max: 3,
      // No cron, no maintenance loop in a short-lived CLI; expiry is checked by the fetchers' supervisor.
      schedule: false,
      supervise: true,
    });
    boss.on('error', () => undefined);
    await boss.start();
    return new ScreenQueue(boss);
  }

  async publish(chunks: ChunkData[]): Promise<void> {
    if (chunks.length === 0) return;
    const name = queueName(chunks[0]!.studyId);
    await this.boss.createQueue(name);
    // A chunk whose consumer dies is retried after it expires; its finished patients are skipped then.
    await this.boss.insert(chunks.map((data) => ({ name, data, retryLimit: 5, expireInSeconds: 15 * 60 })));
  }

  async fetch(studyId: string): Promise<PgBoss.Job<ChunkData> | undefined> {
    const name = queueName(studyId);
    await this.boss.createQueue(name);
    const [job] = await this.boss.fetch<ChunkData>(name, { batchSize: 1 });
    return job;
  }

  /** Chunks of the study not yet completed or failed for good (created, retry, active). */
  async pending(studyId: string): Promise<number> {
    const name = queueName(studyId);
    await this.boss.createQueue(name);
    return this.boss.getQueueSize(name, { before: 'completed' });
  }

  complete(job: PgBoss.Job<ChunkData>): Promise<void> {
    return this.boss.complete(job.name, job.id);
  }

  fail(job: PgBoss.Job<ChunkData>, reason: string): Promise<void> {
    return this.boss.fail(job.name, job.id, { reason });
  }

  close(): Promise<void> {
    return this.boss.stop({ graceful: false, wait: true, close: true });
  }
}

export interface ChunkScreenerOptions {
  storage: RunStorage;
  queue: ScreenQueue;
  mappingsDir: string;
  canonicalBase: string;
  workers: number;
  logger: Logger;
  /** A pool already started for (study, asOf) by the coordinator, reused. */
  pool?: { studyId: string; asOf: string; pool: ScreenPool };
  jobBatch?: number;
}

/** A queue consumer: takes a chunk, screens it, commits it, completes the job. */
export class ChunkScreener {
  readonly #o: ChunkScreenerOptions;
  readonly #pools = new Map<string, ScreenPool>();
  readonly #ownPools = new Set<ScreenPool>();
  readonly #studies = new Map<string, StudyIdentity>();
  readonly #runs = new Map<string, ScreeningRun | undefined>();
  chunks = 0;
  patients = 0;
  notScreened = 0;

  constructor(options: ChunkScreenerOptions) {
    this.#o = options;
    if (options.pool) this.#pools.set(`${options.pool.studyId}|${options.pool.asOf}`, options.pool.pool);
  }

  /** One chunk of the study's queue: the patients newly recorded, or undefined when the queue had none. */
  async workOnce(studyId: string): Promise<number | undefined> {
    const job = await this.#o.queue.fetch(studyId);
    if (!job) return undefined;
    try {
      const recorded = await this.#screenChunk(job.data);
      await this.#o.queue.complete(job);
      this.chunks += 1;
      return recorded;
    } catch (error) {
      await this.#o.queue.fail(job, error instanceof Error ? error.name : 'error').catch(() => undefined);
      throw error;
    }
  }

  /** The runs this consumer has worked for. */
  get runIds(): string[] {
    return [...this.#runs.keys()];
  }

  async #screenChunk(chunk: ChunkData): Promise<number> {
    const { storage, logger } = this.#o;
    if (!this.#runs.has(chunk.runId)) this.#runs.set(chunk.runId, await storage.runs.getRun(chunk.runId));
    const run = this.#runs.get(chunk.runId);
    // A chunk of a run that is gone or over (the coordinator failed, or a stale retry): nothing to do.
    if (!run || run.status !== 'running') return 0;
    const study = await this.#study(chunk.studyId);
    if (study.criteriaVersion !== chunk.criteriaVersion) {
      throw new Error(`this machine has criteria version ${study.criteriaVersion}, the run ${chunk.criteriaVersion}`);
    }
    const pool = await this.#pool(chunk.studyId, chunk.asOf);
    const lines = await storage.runs.patientResources(chunk.studyId, chunk.patientIds);
    const stored = await storage.runs.storedAmong(chunk.studyId, chunk.patientIds.map((id) => `Patient/${id}`));
    const studyIds = [chunk.studyId];
    const jobs: ScreenJob[] = chunk.patientIds.map((patientId) => ({ patientId, lines: lines.get(patientId) ?? [], studyIds }));
    const size = this.#o.jobBatch ?? 16;
    const batches: ScreenJob[][] = [];
    for (let i = 0; i < jobs.length; i += size) batches.push(jobs.slice(i, i + size));
    const outcomes = (await Promise.all(batches.map((b) => pool.screen(b)))).flat();
    const results: RunPatientResult[] = outcomes.map((outcome) =>
      toRunResult(outcome, study, chunk.asOf, stored, () => {
        this.notScreened += 1;
      }),
    );
    const recorded = await storage.runs.recordResultsOnce(chunk.runId, results);
    this.patients += recorded;
    logger.debug({ runId: chunk.runId, patients: chunk.patientIds.length, recorded }, 'chunk screened');
    return recorded;
  }

  /** The study's identity; the pool's threads load the study itself (and must agree on its version). */
  async #study(studyId: string): Promise<StudyIdentity> {
    let study = this.#studies.get(studyId);
    if (!study) {
      study = await readStudyIdentity(this.#o.mappingsDir, studyId);
      if (!study) throw new Error(`unknown study ${studyId}`);
      this.#studies.set(studyId, study);
    }
    return study;
  }

  async #pool(studyId: string, asOf: string): Promise<ScreenPool> {
    const key = `${studyId}|${asOf}`;
    let pool = this.#pools.get(key);
    if (!pool) {
      pool = await ScreenPool.start(this.#o.workers, {
        mappingsDir: this.#o.mappingsDir,
        studies: [{ id: studyId, criteriaVersion: (await this.#study(studyId)).criteriaVersion }],
        asOf,
        canonicalBase: this.#o.canonicalBase,
      });
      this.#pools.set(key, pool);
      this.#ownPools.add(pool);
    }
    return pool;
  }

  /** Closes the pools this consumer started (not one it was given). */
  async close(): Promise<void> {
    await Promise.all([...this.#ownPools].map((p) => p.close()));
    this.#ownPools.clear();
    this.#pools.clear();
  }
}

export interface HelperOptions {
  studyId: string;
  /** Give up after this long with no chunk to take (ms). */
  idleExitMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A helper machine: takes the study's chunks until its queue is empty and no run of the study
 * it worked for is still running, or until it has been idle for idleExitMs.
 */
export async function helpWithQueue(screener: ChunkScreener, storage: RunStorage, o: HelperOptions): Promise<void> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let idleSince = Date.now();
  for (;;) {
    const recorded = await screener.workOnce(o.studyId);
    if (recorded !== undefined) {
      idleSince = Date.now();
      continue;
    }
    if (screener.runIds.length > 0) {
      const runs = await Promise.all(screener.runIds.map((id) => storage.runs.getRun(id)));
      if (runs.every((r) => r === undefined || r.status !== 'running')) return;
    }
    if (Date.now() - idleSince > o.idleExitMs) return;
    await sleep(o.pollMs ?? 500);
  }
}
