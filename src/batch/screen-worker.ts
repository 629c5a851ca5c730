// A screening worker thread: loads the run's studies once, then screens the batches the pool
// posts (screen-job.ts answers a patient whose screening throws as not screened).

import { workerData } from 'node:worker_threads';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { loadStudies } from '../screening/study-registry.js';
import { serveRequests } from '../worker/serve-requests.js';
import { screenJob, type ScreenJob, type ScreenOutcome } from './screen-job.js';

export interface WorkerSetup {
  mappingsDir: string;
  /** Each study with what the thread that starts the pool read as its version; the worker must agree. */
  studies: readonly { id: string; criteriaVersion: string }[];
  asOf: string;
  canonicalBase: string;
}

const setup = workerData as WorkerSetup;
const loaded = await loadStudies(setup.mappingsDir);
const studies = new Map<string, ScreeningStudy>();
for (const { id, criteriaVersion } of setup.studies) {
  const study = loaded.get(id);
  if (!study) throw new Error(`unknown study ${id}`);
  // The run's rows carry the starter's criteriaVersion and the ResearchSubjects this thread's:
  // a mapping edited between the two reads would make them disagree.
  if (study.criteriaVersion !== criteriaVersion) {
    throw new Error(`criteria version ${study.criteriaVersion} here, ${criteriaVersion} for the run: the study's files changed during start-up`);
  }
  studies.set(id, study);
}
const context = { studies, asOf: setup.asOf, canonicalBase: setup.canonicalBase };

serveRequests((jobs: ScreenJob[]) => jobs.flatMap((job): ScreenOutcome[] => screenJob(job, context)));
