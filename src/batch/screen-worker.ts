// A screening worker thread: loads the study once, then screens the batches the pool posts.
// A patient whose screening throws is answered as not screened; the worker carries on.

import { workerData } from 'node:worker_threads';
import { loadStudies } from '../screening/study-registry.js';
import { serveRequests } from '../worker/serve-requests.js';
import { screenJob, type ScreenJob, type ScreenOutcome } from './screen-job.js';

export interface WorkerSetup {
  mappingsDir: string;
  studyId: string;
  /** What the thread that starts the pool read as the study's version; the worker must agree. */
  criteriaVersion: string;
  asOf: string;
  canonicalBase: string;
}

const setup = workerData as WorkerSetup;
const study = loadStudies(setup.mappingsDir).get(setup.studyId);
if (!study) throw new Error(`unknown study ${setup.studyId}`);
// The run's rows carry the starter's criteriaVersion and the ResearchSubjects this thread's:
// a mapping edited between the two reads would make them disagree.
if (study.criteriaVersion !== setup.criteriaVersion) {
  throw new Error(`criteria version ${study.criteriaVersion} here, ${setup.criteriaVersion} for the run: the study's files changed during start-up`);
}
const context = { study, asOf: setup.asOf, canonicalBase: setup.canonicalBase };

serveRequests((jobs: ScreenJob[]) =>
  jobs.map((job): ScreenOutcome => {
    try {
      return screenJob(job, context);
    } catch (error) {
      // The error's message may quote data: only its kind travels.
      const reason = error instanceof Error ? `screening-error:${error.name}` : 'screening-error';
      return { patientId: job.patientId, patientRef: `Patient/${job.patientId}`, status: 'not-screened', reason };
    }
  }),
);
