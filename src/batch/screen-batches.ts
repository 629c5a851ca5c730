// The finder's screening stage: the gathered candidates in batches, written to each study's
// resource store while the workers screen them, and the results committed in batches. A batch
// is one transaction whatever the number of studies (every study's records of a staged batch
// together, every study's results of a flush together): a run of two studies commits as often
// as a run of one. Used by find-patients.ts for one study or several (a patient wanted by two studies
// is one job naming both, screened from one parse of its record).

import { setImmediate } from 'node:timers/promises';
import type { RunStorage } from '../storage/open-run-storage.js';
import type { RunPatientResult } from '../storage/run-store.js';
import type { CandidateGatherer } from './candidate-gatherer.js';
import { HeapHint } from './heap-hint.js';
import type { ScreenJob, ScreenOutcome } from './screen-job.js';
import type { ScreenPool } from './screen-pool.js';
import { storedGroup } from './stored-lines.js';

/** Patients to screen, and the write of their records to the resource store. */
export interface StagedBatch {
  jobs: ScreenJob[];
  /** Settles when the batch's resources are committed; its results may commit only after. */
  stored: Promise<void>;
}

/** A study of the run: where its candidates' records and results go. */
export interface StageStudy {
  studyId: string;
  runId: string;
}

/**
 * Candidate text per resource-store transaction (and so per batch held on the main thread).
 * Small: the workers start sooner, and PGlite's WebAssembly memory, which never shrinks, grows
 * with the largest statement, so a larger batch raises the process's peak memory for good.
 */
const STORE_BATCH_BYTES = 1024 * 1024;
/**
 * Candidate text gathered into a batch between two turns of the event loop. A store write
 * (BEGIN, INSERT, COMMIT on PostgreSQL) moves one round trip a turn: without turns while the
 * next batch is gathered, the previous batch's write would wait for the batch to be complete,
 * and the database and this thread would take turns instead of working together.
 */
const TURN_BYTES = 128 * 1024;
/** Batch text handled on the main thread between two full collections (see heap-hint.ts). */
const HEAP_HINT_BYTES = 24 * 1024 * 1024;

export interface ScreenAllOptions {
  batches: AsyncIterable<StagedBatch>;
  pool: ScreenPool;
  jobBatch: number;
  /** Results (all studies together) per commit. */
  writeBatch: number;
  toResult(outcome: ScreenOutcome): RunPatientResult;
  /** Commits the results of every study (by `outcome.studyId`) in one transaction. */
  record(batches: ReadonlyMap<string, RunPatientResult[]>): Promise<void>;
  onProgress(done: number): void;
}

/**
 * Feeds the pool with at most two messages per worker in flight, and commits results in
 * batches, one transaction at a time (PGlite has one connection, and order of commits does
 * not matter: each row is a different patient of a study's run). Workers screen a batch while
 * its resources are being written; its results commit only once that write has: a run killed
 * in between leaves those patients not done, so --resume stores and screens them again.
 * Returns the outcomes recorded, per study.
 */
export async function screenAll(o: ScreenAllOptions): Promise<Map<string, number>> {
  const done = new Map<string, number>();
  let outcomes = 0;
  let buffer = new Map<string, RunPatientResult[]>();
  let buffered = 0;
  /** The store write the buffered results wait for (writes commit in order: the latest suffices). */
  let bufferStored: { index: number; stored: Promise<void> } | undefined;
  let writes: Promise<void> = Promise.resolve();
  let queuedWrites = 0;
  const inFlight = new Set<Promise<void>>();

  const flush = (): void => {
    if (buffered === 0) return;
    const batches = buffer;
    const stored = bufferStored?.stored;
    buffer = new Map();
    buffered = 0;
    bufferStored = undefined;
    queuedWrites += 1;
    writes = writes
      .then(() => stored)
      .then(() => o.record(batches))
      .finally(() => {
        queuedWrites -= 1;
      });
  };

  const dispatch = async (jobs: ScreenJob[], index: number, stored: Promise<void>): Promise<void> => {
    while (inFlight.size >= o.pool.size * 2) await Promise.race(inFlight);
    // Backpressure from storage: do not screen far ahead of what commits.
    while (queuedWrites > 2) await writes;
    const task = o.pool.screen(jobs).then((answers) => {
      for (const outcome of answers) {
        outcomes += 1;
        done.set(outcome.studyId, (done.get(outcome.studyId) ?? 0) + 1);
        const list = buffer.get(outcome.studyId) ?? [];
        if (list.length === 0) buffer.set(outcome.studyId, list);
        list.push(o.toResult(outcome));
        buffered += 1;
      }
      if (!bufferStored || bufferStored.index < index) bufferStored = { index, stored };
      o.onProgress(outcomes);
      if (buffered >= o.writeBatch) flush();
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  let index = 0;
  for await (const { jobs, stored } of o.batches) {
    index += 1;
    for (let i = 0; i < jobs.length; i += o.jobBatch) await dispatch(jobs.slice(i, i + o.jobBatch), index, stored);
  }
  await Promise.all(inFlight);
  flush();
  await writes;
  return done;
}

/**
 * The gathered candidates in batches (at most `size` patients and about STORE_BATCH_BYTES of
 * text), each handed out while its write to the resource store runs: each patient's record is
 * written to the store of every study that wants it. Writes go one after the other, and at most
 * two are pending: the main thread holds two batches' text at most. A batch's records of every
 * study are one transaction: all or nothing.
 */
export async function* stagedThroughResourceStore(
  gatherer: CandidateGatherer,
  /** The screenable candidates, with the ids of the studies that want each. */
  screenable: ReadonlyMap<string, readonly string[]>,
  storage: RunStorage,
  studies: readonly StageStudy[],
  size: number,
): AsyncGenerator<StagedBatch> {
  let chain: Promise<void> = Promise.resolve();
  let previous: Promise<void> = Promise.resolve();
  let previousBytes = 0;
  const heap = new HeapHint(HEAP_HINT_BYTES);
  const stage = async (jobs: ScreenJob[], bytes: number): Promise<StagedBatch> => {
    const groups = jobs.map((j) => storedGroup(j.patientId, j.lines));
    const parts = studies.map((study) => ({ ...study, groups: groups.filter((_, i) => jobs[i]!.studyIds.includes(study.studyId)) }));
    const stored = chain.then(() => storage.runs.replaceStudiesResources(parts));
    chain = stored;
    // Awaited by whoever records these results; this only keeps an early failure "handled".
    stored.catch(() => undefined);
    await previous;
    // The batch before is stored and posted to the workers by now: its text is garbage.
    heap.released(previousBytes);
    previous = stored;
    previousBytes = bytes;
    return { jobs, stored };
  };
  let batch: ScreenJob[] = [];
  let bytes = 0;
  let turnAt = 0;
  for (const group of gatherer.patients()) {
    const studyIds = screenable.get(group.patientId);
    if (!studyIds) continue;
    batch.push({ patientId: group.patientId, lines: group.lines, studyIds });
    for (const line of group.lines) bytes += line.length;
    if (batch.length >= size || bytes >= STORE_BATCH_BYTES) {
      yield await stage(batch, bytes);
      batch = [];
      bytes = 0;
      turnAt = 0;
    } else if (bytes - turnAt >= TURN_BYTES) {
      turnAt = bytes;
      await setImmediate();
    }
  }
  if (batch.length > 0) yield await stage(batch, bytes);
  await chain;
}

/** Queue mode: each batch once its resources are committed (consumers read them from the store). */
export async function* storedFirst(staged: AsyncIterable<StagedBatch>): AsyncGenerator<ScreenJob[]> {
  for await (const { jobs, stored } of staged) {
    await stored;
    yield jobs;
  }
}

export async function* alreadyStored(batches: AsyncIterable<ScreenJob[]>): AsyncGenerator<StagedBatch> {
  for await (const jobs of batches) yield { jobs, stored: Promise.resolve() };
}

/** Stored candidates of one study (a delta run) in batches read from its resource store. */
export async function* fromResourceStore(storage: RunStorage, studyId: string, patientIds: readonly string[], size: number): AsyncGenerator<ScreenJob[]> {
  const studyIds = [studyId];
  for (let i = 0; i < patientIds.length; i += size) {
    const ids = patientIds.slice(i, i + size);
    const lines = await storage.runs.patientResources(studyId, ids);
    yield ids.map((patientId) => ({ patientId, lines: lines.get(patientId) ?? [], studyIds }));
  }
}
