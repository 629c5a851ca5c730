// One nightly run, start to finish, for one study or several in one pass over the export:
//   pass 1  Conditions → patients each study's entry prefilter matches (plus everyone a study's
//           worklist already holds, so a diagnosis that disappeared turns their subject
//           ineligible); Patients → the population, and the candidates' Patient lines;
//   pass 2  every other file the studies read, once, keeping only the candidates' lines;
//   screen  on worker threads, one job a patient naming every study that wants it, results
//           committed in batches (ResearchSubjects and the study run's per-patient rows in one
//           transaction, so --resume skips exactly what committed);
//   report  per study: attrition funnel, worklist diff against its previous complete run,
//           problems.
// Each study has its own run row, outputs and problem report, and gets the same answers as a
// single-study run over the same export.

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
import { ProblemReport, StudyProblems, type Problem } from './problem-report.js';
import { toRunResult } from './run-result.js';
import type { ChunkData, ScreenQueue } from './screen-queue.js';
import { silentProgress, type Progress } from './progress.js';
import { ScreenPool } from './screen-pool.js';
import type { ScreenJob, ScreenOutcome } from './screen-job.js';
import { alreadyStored, fromResourceStore, screenAll, stagedThroughResourceStore, storedFirst, type StagedBatch } from './screen-batches.js';
import { worklistCsv, worklistDiff, type WorklistRow } from './worklist-diff.js';

/** Everything of a run but its studies. */
export interface RunOptions {
  asOf: IsoDay;
  /** A folder of Bulk Data NDJSON. */
  input: string;
  /** What screening_run.source records; default `file:<absolute input folder>`. */
  source?: string;
  /**
   * Where the worklist, funnel and problems go; default `runs/<run id>` under the cwd. With
   * several studies, each study's go to `<outDir>/<study id>`.
   */
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
   * A `_since` export already merged into the resource store (one study only): no passes over
   * files; every patient with stored resources (touched or not: asOf moves every night) is
   * screened from the store. `touched` are the patients the delta changed.
   */
  fromStore?: { touched: ReadonlySet<string> };
  /** --workers-from-queue (one study only): publish the screening as pg-boss chunks and take part in it. */
  queue?: { queue: ScreenQueue; chunkSize?: number; pollMs?: number };
}

export interface FindOptions extends RunOptions {
  studyId: string;
}

export interface FindManyOptions extends RunOptions {
  /** Distinct study ids; results come back in this order. */
  studyIds: readonly string[];
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
  /** The pass over the files (shared by the studies of a run over several). */
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

/** One study's part of a run. */
interface StudyRun {
  id: string;
  identity: StudyIdentity;
  prefilter: EntryPrefilter;
  run: ScreeningRun;
  resumed: boolean;
  log: Logger;
  outDir: string;
  problems: ProblemReport;
  problemsFd: number;
  /** Patient refs with a stored ResearchSubject of the study before this run. */
  stored: Set<string>;
  /** Patient refs already recorded for the run (a resume). */
  done: Set<string>;
  diagnosed: Set<string>;
  screenedNow: number;
  /** Its run is finished (complete or partial): a later study's failure leaves it so. */
  finished: boolean;
}

export async function findPatients(options: FindOptions, storage: RunStorage): Promise<FindResult> {
  const { studyId, ...rest } = options;
  const [result] = await findForStudies({ ...rest, studyIds: [studyId] }, storage);
  return result!;
}

/** One run per study, from one pass over the export. */
export async function findForStudies(options: FindManyOptions, storage: RunStorage): Promise<FindResult[]> {
  const { logger } = options;
  const progress = options.progress ?? silentProgress;
  const ids = options.studyIds;
  if (ids.length === 0) throw new FindError('no study to run');
  if (new Set(ids).size !== ids.length) throw new FindError('a study is named twice');
  if (ids.length > 1 && (options.fromStore || options.queue)) {
    throw new FindError('a _since delta run and a queue run take one study: run the studies one by one');
  }
  const identities = await Promise.all(ids.map((id) => loadStudy(options.mappingsDir, id)));
  const prefilters = ids.map((id, i) => loadEntryPrefilter(studyDir(options.mappingsDir, id), identities[i]!.entry.valueSets));
  if (!existsSync(options.input)) throw new FindError(`the input folder ${options.input} does not exist`);
  const folder = listInputFolder(options.input);
  const source = options.source ?? `file:${resolve(options.input)}`;

  // Every study's run to resume is checked before any run is created.
  const resumable: (ScreeningRun | undefined)[] = [];
  for (const [i, id] of ids.entries()) {
    const run = options.resume ? await storage.runs.findResumableRun(id, options.asOf) : undefined;
    const version = identities[i]!.criteriaVersion;
    if (run && run.criteriaVersion !== version) {
      throw new FindError(`run ${run.id} was started with criteria version ${run.criteriaVersion}, not ${version}: start a new run instead of --resume`);
    }
    if (options.resume && !run) logger.info({ studyId: id }, 'no unfinished run of this study and asOf: starting a new one');
    resumable.push(run);
  }
  const studies: StudyRun[] = [];
  try {
    for (const [i, id] of ids.entries()) {
      const identity = identities[i]!;
      const resumed = resumable[i] !== undefined;
      const run = resumable[i] ?? (await storage.runs.createRun({ studyId: id, asOf: options.asOf, source, criteriaVersion: identity.criteriaVersion }));
      const log = logger.child({ runId: run.id });
      log.info({ resumed, studyId: id, asOf: options.asOf }, resumed ? 'run resumed' : 'run started');
      const outDir = resolve(options.outDir === undefined ? join('runs', run.id) : ids.length === 1 ? options.outDir : join(options.outDir, id));
      mkdirSync(outDir, { recursive: true });
      const problemsFd = openSync(join(outDir, 'problems.ndjson'), 'w');
      let logged = 0;
      const problems = new ProblemReport((problem: Problem) => {
        writeSync(problemsFd, JSON.stringify(problem) + '\n');
        // The first few go to the log too, so a broken export is visible without opening files.
        if (logged++ < 20) log.warn({ file: problem.file, line: problem.line, reason: problem.reason }, 'problem skipped');
      });
      studies.push({ id, identity, prefilter: prefilters[i]!, run, resumed, log, outDir, problems, problemsFd, stored: new Set(), done: new Set(), diagnosed: new Set(), screenedNow: 0, finished: false });
    }
  } catch (error) {
    await failRuns(storage, studies);
    for (const s of studies) closeSync(s.problemsFd);
    throw error;
  }
  const byId = new Map(studies.map((s) => [s.id, s]));
  const problems = new StudyProblems(studies.map((s) => s.problems));

  let gatherer: CandidateGatherer | undefined;
  let pool: ScreenPool | undefined;
  let poolStarting: Promise<ScreenPool> | undefined;
  try {
    // Workers load the studies (seconds) on the other cores while this thread reads the files.
    poolStarting = ScreenPool.start(options.workers, {
      mappingsDir: options.mappingsDir,
      studies: studies.map((s) => ({ id: s.id, criteriaVersion: s.identity.criteriaVersion })),
      asOf: options.asOf,
      canonicalBase: options.canonicalBase,
    });
    // Rejections are awaited below; this only stops an early failure from being "unhandled".
    poolStarting.catch(() => undefined);
    const usedTypes = new Set(MAPPED_RESOURCE_TYPES);
    const unusedTypes = [...folder.byType.keys()].filter((t) => !usedTypes.has(t)).sort();
    for (const s of studies) {
      s.stored = await storage.runs.storedPatientRefs(s.id);
      s.done = await storage.runs.donePatients(s.run.id);
    }
    let population: number;
    let gathered: GatherCounts = { linesRead: 0, linesParsed: 0, linesKept: 0, medicationsKept: 0 };
    let screening: number;
    let batches: AsyncIterable<ScreenJob[]>;
    /** Full runs: batches whose resource-store write is still under way (screened meanwhile). */
    let staged: AsyncGenerator<StagedBatch> | undefined;
    const storeBatch = options.writeBatch ?? 200;

    if (options.fromStore) {
      // Delta run (one study): the merged store is the record; the population is the last full count.
      const s = studies[0]!;
      const withResources = await storage.runs.resourcePatients(s.id);
      const toScreen = [...withResources].filter((id) => !s.done.has(`Patient/${id}`));
      population = (await storage.runs.lastPopulation(s.id)) ?? withResources.size;
      screening = toScreen.length;
      batches = fromResourceStore(storage, s.id, toScreen, Math.min(storeBatch, DELTA_READ_BATCH));
      s.log.info({ candidates: toScreen.length, touched: options.fromStore.touched.size }, 'screening from the resource store');
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
      const diagnosed = await diagnosedPatients(conditionFiles, prefilters, problems, { onBytes });
      /** Candidate → the studies (indices) that want their record. */
      const wantedBy = new Map<string, number[]>();
      const want = (id: string, study: number): void => {
        const list = wantedBy.get(id);
        if (!list) wantedBy.set(id, [study]);
        else if (list.at(-1) !== study) list.push(study);
      };
      for (const [i, s] of studies.entries()) {
        s.diagnosed = diagnosed[i]!;
        for (const id of s.diagnosed) if (!s.done.has(`Patient/${id}`)) want(id, i);
        for (const ref of s.stored) {
          if (ref.startsWith('Patient/') && !s.done.has(ref)) want(ref.slice('Patient/'.length), i);
        }
      }
      gatherer = new CandidateGatherer(wantedBy.keys(), options.memoryBudget === undefined ? {} : { memoryBudget: options.memoryBudget });
      const everyone = await scanPatients(patientFiles, gatherer, problems, { onBytes });
      population = everyone.size;
      progress.end();
      for (const s of studies) {
        s.log.info({ population, diagnosed: s.diagnosed.size, previouslyStored: s.stored.size, alreadyDone: s.done.size }, 'prefilter done');
      }

      // Pass 2.
      const pass2Bytes = sum([...pass2Files, ...medicationFiles].map((f) => f.bytes));
      progress.phase('gather', pass2Bytes, 'bytes');
      bytesDone = 0;
      const none: readonly number[] = [];
      gathered = await gatherCandidates(pass2Files, medicationFiles, gatherer, problems, (id) => wantedBy.get(id) ?? none, { onBytes });
      progress.end();
      logger.info({ ...gathered, spilledBytes: gatherer.spilledBytes }, 'gather done');

      /** Screenable candidate → the ids of the studies that want them. */
      const screenable = new Map<string, string[]>();
      screening = 0;
      for (const [id, wanting] of wantedBy) {
        if (everyone.has(id)) {
          screenable.set(id, wanting.map((i) => studies[i]!.id));
          screening += wanting.length;
        } else {
          for (const i of wanting) if (studies[i]!.diagnosed.has(id)) studies[i]!.problems.add({ reason: 'patient-absent', patient: `Patient/${id}` });
        }
      }
      // The candidates' records go to the resource store as they go to screening: the next
      // `_since` delta is merged into them, and queue consumers read their chunks from there.
      const stages = studies.map((s) => ({ studyId: s.id, runId: s.run.id }));
      staged = stagedThroughResourceStore(gatherer, screenable, storage, stages, storeBatch);
      batches = storedFirst(staged);
    }

    // Screening.
    progress.phase('screen', screening, 'patients');
    const toResult = (outcome: ScreenOutcome): RunPatientResult => {
      const s = byId.get(outcome.studyId)!;
      return toRunResult(outcome, s.identity, options.asOf, s.stored, (reason, patient) => s.problems.add({ reason, patient }));
    };
    let queueChunks: RunCounts['queueChunks'];
    if (options.queue) {
      const s = studies[0]!;
      pool = await poolStarting;
      const q = await screenThroughQueue({
        queue: options.queue.queue,
        chunkSize: options.queue.chunkSize ?? 100,
        pollMs: options.queue.pollMs ?? 500,
        studyId: s.id,
        run: s.run,
        expected: s.done.size + screening,
        batches,
        storage,
        pool,
        options,
        log: s.log,
        onProgress: (n) => progress.advance(n),
      });
      s.screenedNow = q.recorded;
      queueChunks = { published: q.published, screenedHere: q.screenedHere };
    } else {
      pool = await poolStarting;
      const done = await screenAll({
        batches: staged ?? alreadyStored(batches),
        pool,
        jobBatch: options.jobBatch ?? 16,
        writeBatch: options.writeBatch ?? 200,
        toResult,
        record: async (studyId, batch) => {
          const s = byId.get(studyId)!;
          await storage.runs.recordResults(s.run.id, batch);
          s.log.debug({ committed: batch.length }, 'results committed');
        },
        onProgress: (n) => progress.advance(n),
      });
      for (const s of studies) s.screenedNow = done.get(s.id) ?? 0;
    }
    progress.end();
    await pool.close();
    pool = undefined;

    // Report, study by study.
    const results: FindResult[] = [];
    const shared = {
      population,
      linesRead: gathered.linesRead,
      linesParsed: gathered.linesParsed,
      spilledBytes: gatherer?.spilledBytes ?? 0,
      ...(options.fromStore ? { touched: options.fromStore.touched.size } : {}),
      ...(queueChunks ? { queueChunks } : {}),
      unusedTypes,
      ignoredFiles: folder.ignored,
      exportErrorFiles: options.exportErrorFiles ?? 0,
    };
    for (const s of studies) results.push(await reportStudy(s, shared, options, storage));
    return results;
  } catch (error) {
    await failRuns(storage, studies);
    throw error;
  } finally {
    for (const s of studies) closeSync(s.problemsFd);
    gatherer?.close();
    await pool?.close();
    if (!pool && poolStarting) await poolStarting.then((p) => p.close(), () => undefined);
  }
}

type SharedCounts = Omit<RunCounts, 'diagnosed' | 'previouslyStored' | 'screenedNow' | 'screened' | 'stored' | 'byStatus' | 'notScreened' | 'problems' | 'problemTotal'>;

/** A study's funnel, worklist diff and outputs, and its run finished. */
async function reportStudy(s: StudyRun, shared: SharedCounts, options: RunOptions, storage: RunStorage): Promise<FindResult> {
  const { run, identity } = s;
  const rows = await storage.runs.runPatients(run.id);
  const byStatus: Record<string, number> = {};
  for (const row of rows) byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
  const notScreened = byStatus['not-screened'] ?? 0;
  const screenedRows = rows.filter((r) => r.status !== 'not-screened');
  const funnel = attritionFunnel({
    studyId: s.id,
    asOf: options.asOf,
    criteria: identity.criteria,
    entry: identity.entry.id,
    population: shared.population,
    firstFailing: screenedRows.map((r) => r.failing[0]),
    screened: screenedRows.length,
    notScreened,
  });
  const previous = await storage.runs.previousCompleteRun(s.id, run.id);
  const previousRows = previous ? await storage.runs.runPatients(previous.id) : undefined;
  const worklist = worklistDiff(rows, previousRows, identity.criteria.map((c) => c.id), options.asOf);

  const { population, linesRead, linesParsed, spilledBytes, ...rest } = shared;
  const counts: RunCounts = {
    population,
    diagnosed: s.diagnosed.size,
    previouslyStored: s.stored.size,
    screenedNow: s.screenedNow,
    screened: rows.length,
    stored: rows.filter((r) => r.subjectId !== undefined).length,
    byStatus,
    notScreened,
    problems: s.problems.counts,
    problemTotal: s.problems.total,
    linesRead,
    linesParsed,
    spilledBytes,
    ...rest,
  };
  writeOutputs(s.outDir, { run, counts, funnel, worklist, previous });
  const status: RunStatus = (options.exportErrorFiles ?? 0) > 0 ? 'partial' : 'complete';
  // A complete full run knows every candidate: stored resources of anyone else are stale.
  if (status === 'complete' && !options.fromStore) await storage.runs.pruneResources(s.id, run.id);
  await storage.runs.finishRun(run.id, status, { ...counts, funnel: funnel.steps.map((st) => [st.criterion, st.remaining]) }, options.transactionTime);
  s.finished = true;
  const finished = (await storage.runs.getRun(run.id))!;
  s.log.info({ status, screened: counts.screened, stored: counts.stored, worklist: worklist.length, problems: s.problems.total }, 'run finished');
  return { run: finished, resumed: s.resumed, outDir: s.outDir, counts, funnel, worklist };
}

/** Every study's run of a failed invocation is marked failed (a later --resume continues it). */
async function failRuns(storage: RunStorage, studies: readonly StudyRun[]): Promise<void> {
  for (const s of studies) {
    if (s.finished) continue;
    await storage.runs.finishRun(s.run.id, 'failed', { problems: s.problems.counts, problemTotal: s.problems.total }).catch(() => undefined);
  }
}

/** Patients per read from the resource store on a delta run. */
const DELTA_READ_BATCH = 50;

interface QueueRunOptions {
  queue: ScreenQueue;
  chunkSize: number;
  pollMs: number;
  studyId: string;
  run: ScreeningRun;
  /** Patients the run must have recorded when screening is over. */
  expected: number;
  batches: AsyncIterable<ScreenJob[]>;
  storage: RunStorage;
  pool: ScreenPool;
  options: RunOptions;
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
    pool: { studyId: o.studyId, asOf: o.options.asOf, pool: o.pool },
  });
  let published = 0;
  const chunkOf = (patientIds: string[]): ChunkData => ({
    runId: o.run.id,
    studyId: o.studyId,
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
      const recorded = await screener.workOnce(o.studyId);
      if (recorded !== undefined) continue;
      if ((await o.queue.pending(o.studyId)) === 0 && (await o.storage.runs.donePatients(o.run.id)).size < o.expected) {
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

/** What study.yaml allows as an id (mapping/schema.ts). */
const STUDY_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The study's identity only: the screening threads load the study itself, in parallel, while
 * this thread reads the files (loading it here too would delay reading the first line).
 */
async function loadStudy(mappingsDir: string, studyId: string): Promise<StudyIdentity> {
  // A study id names a folder: anything else (a path, say) is no study's.
  const study = STUDY_ID.test(studyId) ? await readStudyIdentity(mappingsDir, studyId) : undefined;
  if (!study) throw new FindError(`unknown study ${studyId} (no such folder under ${mappingsDir})`);
  return study;
}

/** Throws FindError naming the first of `studyIds` that is no study under `mappingsDir`. */
export async function checkStudies(mappingsDir: string, studyIds: readonly string[]): Promise<void> {
  for (const id of studyIds) await loadStudy(mappingsDir, id);
}

/** The prefilter of a study's entry criterion (a delta merge keeps the patients it matches). */
export async function entryPrefilterOf(mappingsDir: string, studyId: string): Promise<EntryPrefilter> {
  return loadEntryPrefilter(studyDir(mappingsDir, studyId), (await loadStudy(mappingsDir, studyId)).entry.valueSets);
}

/** The mapping folder of a study: named after its id, as fhir-mappings/README says. */
function studyDir(mappingsDir: string, studyId: string): string {
  return join(mappingsDir, studyId);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
