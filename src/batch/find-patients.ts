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
import { loadDiagnosisPrefilter, MAPPED_RESOURCE_TYPES } from '../mapping/diagnosis-prefilter.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { loadStudies } from '../screening/study-registry.js';
import type { RunStorage } from '../storage/open-run-storage.js';
import type { RunPatientResult, RunStatus, ScreeningRun } from '../storage/run-store.js';
import { attritionFunnel, DIAGNOSIS_CRITERION, type AttritionFunnel } from './attrition-funnel.js';
import { CandidateGatherer } from './candidate-gatherer.js';
import { funnelSvg } from './funnel-svg.js';
import { gatherCandidates } from './gather-pass.js';
import { filesOf, listInputFolder } from './input-files.js';
import { diagnosedPatients, scanPatients } from './prefilter-pass.js';
import { ProblemReport, type Problem } from './problem-report.js';
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
  const prefilter = loadDiagnosisPrefilter(studyDir(options.mappingsDir, options.studyId));
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
      asOf: options.asOf,
      canonicalBase: options.canonicalBase,
    });
    // Rejections are awaited below; this only stops an early failure from being "unhandled".
    poolStarting.catch(() => undefined);
    const usedTypes = new Set(MAPPED_RESOURCE_TYPES);
    const unusedTypes = [...folder.byType.keys()].filter((t) => !usedTypes.has(t)).sort();
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
    const stored = await storage.runs.storedPatientRefs(options.studyId);
    const done = await storage.runs.donePatients(run.id);
    const candidates = new Set<string>();
    for (const id of diagnosed) if (!done.has(`Patient/${id}`)) candidates.add(id);
    for (const ref of stored) {
      if (ref.startsWith('Patient/') && !done.has(ref)) candidates.add(ref.slice('Patient/'.length));
    }
    gatherer = new CandidateGatherer(candidates, options.memoryBudget === undefined ? {} : { memoryBudget: options.memoryBudget });
    const population = await scanPatients(patientFiles, gatherer, problems, { onBytes });
    progress.end();
    log.info({ population: population.size, diagnosed: diagnosed.size, previouslyStored: stored.size, alreadyDone: done.size }, 'prefilter done');

    // Pass 2.
    const pass2Bytes = sum([...pass2Files, ...medicationFiles].map((f) => f.bytes));
    progress.phase('gather', pass2Bytes, 'bytes');
    bytesDone = 0;
    const gathered = await gatherCandidates(pass2Files, medicationFiles, gatherer, problems, { onBytes });
    progress.end();
    log.info({ ...gathered, spilledBytes: gatherer.spilledBytes }, 'gather done');

    // Screening.
    const toScreen: string[] = [];
    for (const id of candidates) {
      if (population.has(id)) toScreen.push(id);
      else if (diagnosed.has(id)) problems.add({ reason: 'patient-absent', patient: `Patient/${id}` });
    }
    const screenable = new Set(toScreen);
    pool = await poolStarting;
    progress.phase('screen', toScreen.length, 'patients');
    const screenedNow = await screenAll({
      gatherer,
      screenable,
      pool,
      jobBatch: options.jobBatch ?? 16,
      writeBatch: options.writeBatch ?? 200,
      toResult: (outcome) => toRunResult(outcome, study, options, stored, problems),
      record: async (batch) => {
        await storage.runs.recordResults(run!.id, batch);
        log.debug({ committed: batch.length }, 'results committed');
      },
      onProgress: (n) => progress.advance(n),
    });
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
      population: population.size,
      firstFailing: screenedRows.map((r) => r.failing[0]),
      screened: screenedRows.length,
      notScreened,
    });
    const previous = await storage.runs.previousCompleteRun(options.studyId, run.id);
    const previousRows = previous ? await storage.runs.runPatients(previous.id) : undefined;
    const worklist = worklistDiff(rows, previousRows, study.criteria.map((c) => c.id), options.asOf);

    const counts: RunCounts = {
      population: population.size,
      diagnosed: diagnosed.size,
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
      spilledBytes: gatherer.spilledBytes,
      unusedTypes,
      ignoredFiles: folder.ignored,
      exportErrorFiles: options.exportErrorFiles ?? 0,
    };
    writeOutputs(outDir, { run, counts, funnel, worklist, previous });
    const status: RunStatus = (options.exportErrorFiles ?? 0) > 0 ? 'partial' : 'complete';
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
  gatherer: CandidateGatherer;
  screenable: Set<string>;
  pool: ScreenPool;
  jobBatch: number;
  writeBatch: number;
  toResult(outcome: ScreenOutcome): RunPatientResult | undefined;
  record(batch: RunPatientResult[]): Promise<void>;
  onProgress(done: number): void;
}

/**
 * Feeds the pool with at most two messages per worker in flight, and commits results in
 * batches, one transaction at a time (PGlite has one connection, and order of commits does
 * not matter: each row is a different patient).
 */
async function screenAll(o: ScreenAllOptions): Promise<number> {
  let done = 0;
  let buffer: RunPatientResult[] = [];
  let writes: Promise<void> = Promise.resolve();
  let queuedWrites = 0;
  const inFlight = new Set<Promise<void>>();

  const flush = (): void => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    queuedWrites += 1;
    writes = writes.then(() => o.record(batch)).finally(() => {
      queuedWrites -= 1;
    });
  };

  const dispatch = async (jobs: ScreenJob[]): Promise<void> => {
    while (inFlight.size >= o.pool.size * 2) await Promise.race(inFlight);
    // Backpressure from storage: do not screen far ahead of what commits.
    while (queuedWrites > 2) await writes;
    const task = o.pool.screen(jobs).then((outcomes) => {
      for (const outcome of outcomes) {
        done += 1;
        const result = o.toResult(outcome);
        if (result) buffer.push(result);
      }
      o.onProgress(done);
      if (buffer.length >= o.writeBatch) flush();
    });
    const tracked = task.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };

  let jobs: ScreenJob[] = [];
  for (const group of o.gatherer.patients()) {
    if (!o.screenable.has(group.patientId)) continue;
    jobs.push(group);
    if (jobs.length >= o.jobBatch) {
      await dispatch(jobs);
      jobs = [];
    }
  }
  if (jobs.length > 0) await dispatch(jobs);
  await Promise.all(inFlight);
  flush();
  await writes;
  return done;
}

function toRunResult(
  outcome: ScreenOutcome,
  study: ScreeningStudy,
  options: FindOptions,
  stored: Set<string>,
  problems: ProblemReport,
): RunPatientResult | undefined {
  if (outcome.status === 'not-screened') {
    problems.add({ reason: outcome.reason, patient: outcome.patientRef });
    return { patientRef: outcome.patientRef, status: 'not-screened', failing: [], results: {} };
  }
  const result: RunPatientResult = {
    patientRef: outcome.patientRef,
    status: outcome.status,
    failing: outcome.failing,
    results: outcome.results,
  };
  if (outcome.eligibleFrom) result.eligibleFrom = outcome.eligibleFrom;
  // The worklist holds the patients who have the disease; a patient already on it stays (now
  // ineligible) so that a diagnosis that disappeared is visible rather than a stale candidate.
  if (outcome.results[DIAGNOSIS_CRITERION] !== 'not-met' || stored.has(outcome.patientRef)) {
    result.subject = {
      id: outcome.resource.id,
      studyId: study.mapping.id,
      patientRef: outcome.patientRef,
      status: outcome.status,
      asOf: options.asOf,
      criteriaVersion: study.criteriaVersion,
      resource: outcome.resource as unknown as Record<string, unknown>,
    };
  }
  return result;
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

function loadStudy(mappingsDir: string, studyId: string): ScreeningStudy {
  const study = loadStudies(mappingsDir).get(studyId);
  if (!study) throw new FindError(`unknown study ${studyId} (no such folder under ${mappingsDir})`);
  return study;
}

/** The mapping folder of a study: named after its id, as fhir-mappings/README says. */
function studyDir(mappingsDir: string, studyId: string): string {
  return join(mappingsDir, studyId);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
