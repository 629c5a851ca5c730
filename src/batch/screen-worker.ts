// A screening worker thread: loads the study once, then screens the batches the pool posts.
// A patient whose screening throws is answered as not screened; the worker carries on.

import { parentPort, workerData } from 'node:worker_threads';
import { loadStudies } from '../screening/study-registry.js';
import { screenJob, type ScreenJob, type ScreenOutcome } from './screen-job.js';

export interface WorkerSetup {
  mappingsDir: string;
  studyId: string;
  asOf: string;
  canonicalBase: string;
}

export interface WorkerRequest {
  id: number;
  jobs: ScreenJob[];
}

export interface WorkerReply {
  id: number;
  outcomes: ScreenOutcome[];
}

const setup = workerData as WorkerSetup;
const study = loadStudies(setup.mappingsDir).get(setup.studyId);
if (!study) throw new Error(`unknown study ${setup.studyId}`);
const context = { study, asOf: setup.asOf, canonicalBase: setup.canonicalBase };

parentPort!.on('message', (request: WorkerRequest) => {
  const outcomes = request.jobs.map((job): ScreenOutcome => {
    try {
      return screenJob(job, context);
    } catch (error) {
      // The error's message may quote data: only its kind travels.
      const reason = error instanceof Error ? `screening-error:${error.name}` : 'screening-error';
      return { patientId: job.patientId, patientRef: `Patient/${job.patientId}`, status: 'not-screened', reason };
    }
  });
  parentPort!.postMessage({ id: request.id, outcomes } satisfies WorkerReply);
});
parentPort!.postMessage({ ready: true });
