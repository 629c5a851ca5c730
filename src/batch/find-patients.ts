// One nightly run, start to finish:
//   pass 1  Conditions → patients with a DM/PM/IIM diagnosis (plus everyone the study's worklist
//           already holds, so a diagnosis that disappeared turns their subject ineligible);
//           Patients → the population, and the candidates' Patient lines;
//   pass 2  every other file the study reads, once, keeping only the candidates' lines;
//   screen  on worker threads, results committed in batches (ResearchSubjects and the run's
//           per-patient rows in one transaction, so --resume skips exactly what committed);
//   report  attrition funnel, worklist diff against the previous complete run, problems.

import { mkdirSync, openSync, writeFileSync, writeSync, closeSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { IsoDay } from '../fhir/dates.js';
import { loadEntryPrefilter, MAPPED_RESOURCE_TYPES, type EntryPrefilter } from '../mapping/entry-prefilter.js';
import { readStudyIdentity, type StudyIdentity } from '../screening/study-identity.js';
import type { RunStorage } from '../storage/open-run-storage.js';
import type { RunPatientResult, RunStatus, ScreeningRun } from '../storage/run-store.js';
import { attritionFunnel, type AttritionFunnel } from './attrition-funnel.js';
import { CandidateGatherer } from './candidate-gatherer.js';
import { funnelSvg } from './funnel-svg.js';
import { gatherCandidates, type GatherCounts } from './gather-pass.js';
import { filesOf, listInputFolder } from './input-files.js';
import { diagnosedPatients, scanPatients } from './prefilter-pass.js';
import { ProblemReport, type Problem } from './problem-report.js';
import { toRunResult } from './run-result.js';
import type { ChunkData, ScreenQueue } from './screen-queue.js';
import { storedGroup } from './stored-lines.js';
import { HeapHint } from './heap-hint.js';
import { silentProgress, type Progress } from './progress.js';
import { ScreenPool } from './screen-pool.js';
import type { ScreenJob, ScreenOutcome } from './screen-job.js';
import { worklistCsv, worklistDiff, type WorklistRow } from './worklist-diff.js';

export interface FindOptions {
  studyId: string;
  asOf: IsoDay;
  /** A folder of Bulk Data NDJSON. */
  input: string;
  /** What screening_run.source records; default `file:<absolute input folder>`. */
  source?: string;
  /** Where the worklist, funnel and problems go; default `runs/<run id>` under the cwd. */
  outDir?: string;
  resume: boolean;
  workers: number;
  mappingsDir: string;
  canonicalBase: string;
  logger: Logger;
  progress?: Progress;
  /** Candidate text held in memory before spilling to a temp file. */
  memoryBudget?: number;
  /** Patients per results transaction. */
  writeBatch?: number;
  /** Patients per message to a worker. */
  jobBatch?: number;
  /** Bulk export: the manifest's transactionTime (saved as the next _since once results commit). */
  transactionTime?: string;
  /** Bulk export: error files in the manifest make the run partial. */
  exportErrorFiles?: number;
  /**
   * A `_since` export already merged into the resource store: no passes over files; every
   * patient with stored resources (touched or not: asOf moves every night) is screened from
   * the store. `touched` are the patients the delta changed.
   */
  fromStore?: { touched: ReadonlySet<string> };
  /** --workers-from-queue: publish the screening as pg-boss chunks and take part in it. */
  queue?: { queue: ScreenQueue; chunkSize?: number; pollMs?: number };
}

export interface FindResult {
  run: ScreeningRun;
  resumed: boolean;
  outDir: string;
  counts: RunCounts;
  funnel: AttritionFunnel;
  worklist: WorklistRow[];
}

export interface RunCounts {
  population: number;
  diagnosed: number;
  previouslyStored: number;
  /** Patients screened (or found unscreenable) by this invocation; on a resume, the rest. */
  screenedNow: number;
  /** Patients recorded for the run, all invocations together. */
  screened: number;
  stored: number;
  byStatus: Record<string, number>;
  notScreened: number;
  problems: Record<string, number>;
  problemTotal: number;
  linesRead: number;
  linesParsed: number;
  spilledBytes: number;
  /** Patients a `_since` delta touched (delta runs only). */
  touched?: number;
  /** Chunks this process screened, of how many published (queue runs only). */
  queueChunks?: { published: number; screenedHere: number };
  unusedTypes: string[];
  ignoredFiles: string[];
  exportErrorFiles: number;
}

export class FindError extends Error {
  override name = 'FindError';
}

export async function findPatients(options: FindOptions, storage: RunStorage): Promise<FindResult> {
  const { logger } = options;
  const progress = options.progress ?? silentProgress;
  const study = loadStudy(options.mappingsDir, options.studyId);
  const prefilter = loadEntryPrefilter(studyDir(options.mappingsDir, options.studyId), study.entry.valueSets);
  if (!existsSync(options.input)) throw new FindError(`the input folder ${options.input} does not exist`);
  const folder = listInputFolder(options.input);
  const source = options.source ?? `file:${resolve(options.input)}`;

  let run: ScreeningRun | undefined;
  let resumed = false;
  if (options.resume) {
    run = await storage.runs.findResumableRun(options.studyId, options.asOf);
    if (run && run.criteriaVersion !== study.criteriaVersion) {
      throw new FindError(
        `run ${run.id} was started with criteria version ${run.criteriaVersion}, not ${study.criteriaVersion}: start a new run instead of --resume`,
      );
    }
    if (run) resumed = true;
    else logger.info('no unfinished run of this study and asOf: starting a new one');
  }
  run ??= await storage.runs.createRun({
    studyId: options.studyId,
    asOf: options.asOf,
    source,
    criteriaVersion: study.criteriaVersion,
  });
  const log = logger.child({ runId: run.id });
  log.info({ resumed, studyId: options.studyId, asOf: options.asOf }, resumed ? 'run resumed' : 'run started');

  const outDir = resolve(options.outDir ?? join('runs', run.id));
  mkdirSync(outDir, { recursive: true });
  const problemsFd = openSync(join(outDir, 'problems.ndjson'), 'w');
  let logged = 0;
  const problems = new ProblemReport((problem: Problem) => {
    writeSync(problemsFd, JSON.stringify(problem) + '\n');
    // The first few go to the log too, so a broken export is visible without opening files.
    if (logged++ < 20) log.warn({ file: problem.file, line: problem.line, reason: problem.reason }, 'problem skipped');
  });

  let gatherer: CandidateGatherer | undefined;
  let pool: ScreenPool | undefined;
  let poolStarting: Promise<ScreenPool> | undefined;
  try {
    // Workers load the study (seconds) on the other cores while this thread reads the files.
    poolStarting = ScreenPool.start(options.workers, {
      mappingsDir: options.mappingsDir,
      studyId: options.studyId,
      criteriaVersion: study.criteriaVersion,
      asOf: options.asOf,
      canonicalBase: options.canonicalBase,
    });
    // Rejections are awaited below; this only stops an early failure from being "unhandled".
    poolStarting.catch(() => undefined);
    const usedTypes = new Set(MAPPED_RESOURCE_TYPES);
    const unusedTypes = [...folder.byType.keys()].filter((t) => !usedTypes.has(t)).sort();
    const stored = await storage.runs.storedPatientRefs(options.studyId);
    const done = await storage.runs.donePatients(run.id);
    const runId = run.id;
    let population: number;
    let diagnosedCount = 0;
    let gathered: GatherCounts = { linesRead: 0, linesParsed: 0, linesKept: 0, medicationsKept: 0 };
    let toScreen: string[];
    let batches: AsyncIterable<ScreenJob[]>;
    /** Full runs: batches whose resource-store write is still under way (screened meanwhile). */
    let staged: AsyncGenerator<StagedBatch> | undefined;
    const storeBatch = options.writeBatch ?? 200;

    if (options.fromStore) {
      // Delta run: the merged store is the record; the population is the last full count.
      const withResources = await storage.runs.resourcePatients(options.studyId);
      toScreen = [...withResources].filter((id) => !done.has(`Patient/${id}`));
      population = (await storage.runs.lastPopulation(options.studyId)) ?? withResources.size;
      batches = fromResourceStore(storage, options.studyId, toScreen, Math.min(storeBatch, DELTA_READ_BATCH));
      log.info({ candidates: toScreen.length, touched: options.fromStore.touched.size }, 'screening from the resource store');
    } else {
      const pass2Types = MAPPED_RESOURCE_TYPES.filter((t) => t !== 'Patient' && t !== 'Medication');
      const conditionFiles = filesOf(folder, ['Condition']);
      const patientFiles = filesOf(folder, ['Patient']);
      const pass2Files = filesOf(folder, pass2Types);
      const medicationFiles = filesOf(folder, ['Medication']);
      if (patientFiles.length === 0) throw new FindError(`no Patient file (Patient.ndjson or Patient.NNN.ndjson) in ${options.input}`);

      // Pass 1.
      const pass1Bytes = sum([...conditionFiles, ...patientFiles].map((f) => f.bytes));
      progress.phase('prefilter', pass1Bytes, 'bytes');
      let bytesDone = 0;
      const onBytes = (n: number): void => progress.advance((bytesDone += n));
      const diagnosed = await diagnosedPatients(conditionFiles, prefilter, problems, { onBytes });
      diagnosedCount = diagnosed.size;
      const candidates = new Set<string>();
      for (const id of diagnosed) if (!done.has(`Patient/${id}`)) candidates.add(id);
      for (const ref of stored) {
        if (ref.startsWith('Patient/') && !done.has(ref)) candidates.add(ref.slice('Patient/'.length));
      }
      gatherer = new CandidateGatherer(candidates, options.memoryBudget === undefined ? {} : { memoryBudget: options.memoryBudget });
      const everyone = await scanPatients(patientFiles, gatherer, problems, { onBytes });
      population = everyone.size;
      progress.end();
      log.info({ population, diagnosed: diagnosed.size, previouslyStored: stored.size, alreadyDone: done.size }, 'prefilter done');

      // Pass 2.
      const pass2Bytes = sum([...pass2Files, ...medicationFiles].map((f) => f.bytes));
      progress.phase('gather', pass2Bytes, 'bytes');
      bytesDone = 0;
      gathered = await gatherCandidates(pass2Files, medicationFiles, gatherer, problems, { onBytes });
      progress.end();
      log.info({ ...gathered, spilledBytes: gatherer.spilledBytes }, 'gather done');

      toScreen = [];
      for (const id of candidates) {
        if (everyone.has(id)) toScreen.push(id);
        else if (diagnosed.has(id)) problems.add({ reason: 'patient-absent', patient: `Patient/${id}` });
      }
      // The candidates' records go to the resource store as they go to screening: the next
      // `_since` delta is merged into them, and queue consumers read their chunks from there.
      staged = stagedThroughResourceStore(gatherer, new Set(toScreen), storage, options.studyId, runId, storeBatch);
      batches = storedFirst(staged);
    }

    // Screening.
    progress.phase('screen', toScreen.length, 'patients');
    const toResult = (outcome: ScreenOutcome): RunPatientResult =>
      toRunResult(outcome, study, options.asOf, stored, (reason, patient) => problems.add({ reason, patient }));
    let screenedNow: number;
    let queueChunks: RunCounts['queueChunks'];
    if (options.queue) {
      pool = await poolStarting;
      const q = await screenThroughQueue({
        queue: options.queue.queue,
        chunkSize: options.queue.chunkSize ?? 100,
        pollMs: options.queue.pollMs ?? 500,
        run,
        expected: done.size + toScreen.length,
        batches,
        storage,
        pool,
        options,
        log,
        onProgress: (n) => progress.advance(n),
      });
      screenedNow = q.recorded;
      queueChunks = { published: q.published, screenedHere: q.screenedHere };
    } else {
      pool = await poolStarting;
      screenedNow = await screenAll({
        batches: staged ?? alreadyStored(batches),
        pool,
        jobBatch: options.jobBatch ?? 16,
        writeBatch: options.writeBatch ?? 200,
        toResult,
        record: async (batch) => {
          await storage.runs.recordResults(runId, batch);
          log.debug({ committed: batch.length }, 'results committed');
        },
        onProgress: (n) => progress.advance(n),
      });
    }
    progress.end();
    await pool.close();
    pool = undefined;

    // Report.
    const rows = await storage.runs.runPatients(run.id);
    const byStatus: Record<string, number> = {};
    for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
    const notScreened = byStatus['not-screened'] ?? 0;
    const screenedRows = rows.filter((r) => r.status !== 'not-screened');
    const funnel = attritionFunnel({
      studyId: options.studyId,
      asOf: options.asOf,
      criteria: study.criteria,
      entry: study.entry.id,
      population,
      firstFailing: screenedRows.map((r) => r.failing[0]),
      screened: screenedRows.length,
      notScreened,
    });
    const previous = await storage.runs.previousCompleteRun(options.studyId, run.id);
    const previousRows = previous ? await storage.runs.runPatients(previous.id) : undefined;
    const worklist = worklistDiff(rows, previousRows, study.criteria.map((c) => c.id), options.asOf);

    const counts: RunCounts = {
      population,
      diagnosed: diagnosedCount,
      previouslyStored: stored.size,
      screenedNow,
      screened: rows.length,
      stored: rows.filter((r) => r.subjectId !== undefined).length,
      byStatus,
      notScreened,
      problems: problems.counts,
      problemTotal: problems.total,
      linesRead: gathered.linesRead,
      linesParsed: gathered.linesParsed,
      spilledBytes: gatherer?.spilledBytes ?? 0,
      ...(options.fromStore ? { touched: options.fromStore.touched.size } : {}),
      ...(queueChunks ? { queueChunks } : {}),
      unusedTypes,
      ignoredFiles: folder.ignored,
      exportErrorFiles: options.exportErrorFiles ?? 0,
    };
    writeOutputs(outDir, { run, counts, funnel, worklist, previous });
    const status: RunStatus = (options.exportErrorFiles ?? 0) > 0 ? 'partial' : 'complete';
    // A complete full run knows every candidate: stored resources of anyone else are stale.
    if (status === 'complete' && !options.fromStore) await storage.runs.pruneResources(options.studyId, run.id);
    await storage.runs.finishRun(run.id, status, { ...counts, funnel: funnel.steps.map((s) => [s.criterion, s.remaining]) }, options.transactionTime);
    const finished = (await storage.runs.getRun(run.id))!;
    log.info({ status, screened: counts.screened, stored: counts.stored, worklist: worklist.length, problems: problems.total }, 'run finished');
    return { run: finished, resumed, outDir, counts, funnel, worklist };
  } catch (error) {
    await storage.runs
      .finishRun(run.id, 'failed', { problems: problems.counts, problemTotal: problems.total })
      .catch(() => undefined);
    throw error;
  } finally {
    closeSync(problemsFd);
    gatherer?.close();
    await pool?.close();
    if (!pool && poolStarting) await poolStarting.then((p) => p.close(), () => undefined);
  }
}

interface ScreenAllOptions {
  batches: AsyncIterable<StagedBatch>;
  pool: ScreenPool;
  jobBatch: number;
  writeBatch: number;
  toResult(outcome: ScreenOutcome): RunPatientResult;
  record(batch: RunPatientResult[]): Promise<void>;
  onProgress(done: number): void;
}

/** Patients to screen, and the write of their records to the resource store. */
export interface StagedBatch {
  jobs: ScreenJob[];
  /** Settles when the batch's resources are committed; its results may commit only after. */
  stored: Promise<void>;
}

/**
 * Candidate text per resource-store transaction (and so per batch held on the main thread).
 * Small: the workers start sooner, and PGlite's WebAssembly memory, which never shrinks, grows
 * with the largest statement, so a larger batch raises the process's peak memory for good.
 */
const STORE_BATCH_BYTES = 1024 * 1024;
/** Batch text handled on the main thread between two full collections (see heap-hint.ts). */
const HEAP_HINT_BYTES = 24 * 1024 * 1024;
/** Patients per read from the resource store on a delta run. */
const DELTA_READ_BATCH = 50;

/**
 * Feeds the pool with at most two messages per worker in flight, and commits results in
 * batches, one transaction at a time (PGlite has one connection, and order of commits does
 * not matter: each row is a different patient). Workers screen a batch while its resources
 * are being written; its results commit only once that write has: a run killed in between
 * leaves those patients not done, so --resume stores and screens them again.
 */
async function screenAll(o: ScreenAllOptions): Promise<number> {
  let done = 0;
  let buffer: RunPatientResult[] = [];
  /** The store write the buffered results wait for (writes commit in order: the latest suffices). */
  let bufferStored: { index: number; stored: Promise<void> } | undefined;
  let writes: Promise<void> = Promise.resolve();
  let queuedWrites = 0;
  const inFlight = new Set<Promise<void>>();

  const flush = (): void => {
    if (buffer.length === 0) return;
    const batch = buffer;
    const stored = bufferStored?.stored;
    buffer = [];
    bufferStored = undefined;
    queuedWrites += 1;
    writes = writes
      .then(() => stored)
      .then(() => o.record(batch))
      .finally(() => {
        queuedWrites -= 1;
      });
  };

  const dispatch = async (jobs: ScreenJob[], index: number, stored: Promise<void>): Promise<void> => {
    while (inFlight.size >= o.pool.size * 2) await Promise.race(inFlight);
    // Backpressure from storage: do not screen far ahead of what commits.
    while (queuedWrites > 2) await writes;
    const task = o.pool.screen(jobs).then((outcomes) => {
      for (const outcome of outcomes) {
        done += 1;
        buffer.push(o.toResult(outcome));
      }
      if (!bufferStored || bufferStored.index < index) bufferStored = { index, stored };
      o.onProgress(done);
      if (buffer.length >= o.writeBatch) flush();
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
 * text), each handed out while its write to the resource store runs. Writes go one after the
 * other, and at most two are pending: the main thread holds two batches' text at most.
 */
async function* stagedThroughResourceStore(
  gatherer: CandidateGatherer,
  screenable: ReadonlySet<string>,
  storage: RunStorage,
  studyId: string,
  runId: string,
  size: number,
): AsyncGenerator<StagedBatch> {
  let chain: Promise<void> = Promise.resolve();
  let previous: Promise<void> = Promise.resolve();
  let previousBytes = 0;
  const heap = new HeapHint(HEAP_HINT_BYTES);
  const stage = async (jobs: ScreenJob[], bytes: number): Promise<StagedBatch> => {
    const groups = jobs.map((j) => storedGroup(j.patientId, j.lines));
    const stored = chain.then(() => storage.runs.replacePatientResources(studyId, runId, groups));
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
  for (const group of gatherer.patients()) {
    if (!screenable.has(group.patientId)) continue;
    batch.push(group);
    for (const line of group.lines) bytes += line.length;
    if (batch.length >= size || bytes >= STORE_BATCH_BYTES) {
      yield await stage(batch, bytes);
      batch = [];
      bytes = 0;
    }
  }
  if (batch.length > 0) yield await stage(batch, bytes);
  await chain;
}

/** Queue mode: each batch once its resources are committed (consumers read them from the store). */
async function* storedFirst(staged: AsyncIterable<StagedBatch>): AsyncGenerator<ScreenJob[]> {
  for await (const { jobs, stored } of staged) {
    await stored;
    yield jobs;
  }
}

async function* alreadyStored(batches: AsyncIterable<ScreenJob[]>): AsyncGenerator<StagedBatch> {
  for await (const jobs of batches) yield { jobs, stored: Promise.resolve() };
}

/** Stored candidates (a delta run) in batches read from the resource store. */
async function* fromResourceStore(storage: RunStorage, studyId: string, patientIds: readonly string[], size: number): AsyncGenerator<ScreenJob[]> {
  for (let i = 0; i < patientIds.length; i += size) {
    const ids = patientIds.slice(i, i + size);
    const lines = await storage.runs.patientResources(studyId, ids);
    yield ids.map((patientId) => ({ patientId, lines: lines.get(patientId) ?? [] }));
  }
}

interface QueueRunOptions {
  queue: ScreenQueue;
  chunkSize: number;
  pollMs: number;
  run: ScreeningRun;
  /** Patients the run must have recorded when screening is over. */
  expected: number;
  batches: AsyncIterable<ScreenJob[]>;
  storage: RunStorage;
  pool: ScreenPool;
  options: FindOptions;
  log: Logger;
  onProgress(done: number): void;
}

/**
 * Queue mode: each stored batch becomes chunks of patient ids on pg-boss (only ids travel; the
 * resources are already committed to the store), then this process takes chunks like any
 * helper until the run has every patient recorded. A chunk that failed for good stops the run.
 */
async function screenThroughQueue(o: QueueRunOptions): Promise<{ recorded: number; published: number; screenedHere: number }> {
  const { ChunkScreener } = await import('./screen-queue.js');
  const screener = new ChunkScreener({
    storage: o.storage,
    queue: o.queue,
    mappingsDir: o.options.mappingsDir,
    canonicalBase: o.options.canonicalBase,
    workers: o.options.workers,
    logger: o.log,
    pool: { studyId: o.options.studyId, asOf: o.options.asOf, pool: o.pool },
  });
  let published = 0;
  const chunkOf = (patientIds: string[]): ChunkData => ({
    runId: o.run.id,
    studyId: o.options.studyId,
    asOf: o.options.asOf,
    criteriaVersion: o.run.criteriaVersion,
    patientIds,
  });
  // Stored batches are sized by bytes, chunks by patients: ids carry over from one batch to
  // the next, so every chunk but the last is full.
  let ids: string[] = [];
  const publish = async (all: boolean): Promise<void> => {
    const chunks: ChunkData[] = [];
    let i = 0;
    for (; i + o.chunkSize <= ids.length || (all && i < ids.length); i += o.chunkSize) chunks.push(chunkOf(ids.slice(i, i + o.chunkSize)));
    ids = ids.slice(i);
    if (chunks.length === 0) return;
    await o.queue.publish(chunks);
    published += chunks.length;
  };
  for await (const batch of o.batches) {
    for (const job of batch) ids.push(job.patientId);
    await publish(false);
  }
  await publish(true);
  o.log.info({ chunks: published }, 'chunks published');
  const before = (await o.storage.runs.donePatients(o.run.id)).size;
  try {
    for (;;) {
      const done = (await o.storage.runs.donePatients(o.run.id)).size;
      o.onProgress(done - before);
      if (done >= o.expected) break;
      const recorded = await screener.workOnce(o.options.studyId);
      if (recorded !== undefined) continue;
      if ((await o.queue.pending(o.options.studyId)) === 0 && (await o.storage.runs.donePatients(o.run.id)).size < o.expected) {
        throw new FindError('a screening chunk failed on every retry: the run is incomplete (start it again with --resume)');
      }
      await new Promise((r) => setTimeout(r, o.pollMs));
    }
  } finally {
    await screener.close();
  }
  const after = (await o.storage.runs.donePatients(o.run.id)).size;
  return { recorded: after - before, published, screenedHere: screener.chunks };
}

function writeOutputs(
  outDir: string,
  r: { run: ScreeningRun; counts: RunCounts; funnel: AttritionFunnel; worklist: WorklistRow[]; previous: ScreeningRun | undefined },
): void {
  writeFileSync(join(outDir, 'worklist.csv'), worklistCsv(r.worklist));
  writeFileSync(join(outDir, 'worklist.ndjson'), r.worklist.map((row) => JSON.stringify(row) + '\n').join(''));
  writeFileSync(join(outDir, 'funnel.json'), JSON.stringify(r.funnel, null, 2) + '\n');
  writeFileSync(join(outDir, 'funnel.svg'), funnelSvg(r.funnel));
  writeFileSync(
    join(outDir, 'run.json'),
    JSON.stringify({ runId: r.run.id, studyId: r.run.studyId, asOf: r.run.asOf, source: r.run.source, criteriaVersion: r.run.criteriaVersion, previousRunId: r.previous?.id, counts: r.counts }, null, 2) + '\n',
  );
}

/**
 * The study's identity only: the screening threads load the study itself, in parallel, while
 * this thread reads the files (loading it here too would delay reading the first line).
 */
function loadStudy(mappingsDir: string, studyId: string): StudyIdentity {
  const study = readStudyIdentity(mappingsDir, studyId);
  if (!study) throw new FindError(`unknown study ${studyId} (no such folder under ${mappingsDir})`);
  return study;
}

/** The prefilter of a study's entry criterion (a delta merge keeps the patients it matches). */
export function entryPrefilterOf(mappingsDir: string, studyId: string): EntryPrefilter {
  return loadEntryPrefilter(studyDir(mappingsDir, studyId), loadStudy(mappingsDir, studyId).entry.valueSets);
}

/** The mapping folder of a study: named after its id, as fhir-mappings/README says. */
function studyDir(mappingsDir: string, studyId: string): string {
  return join(mappingsDir, studyId);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
