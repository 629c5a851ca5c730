// What a screening worker does with one gathered patient: parse the lines, group them the
// batch way (ingest's groupByPatient: duplicates collapse, conflicting copies exclude the
// patient), then, for each study the job names, screen through the one screenPatient() and
// render the same ResearchSubject as $screen. The record is parsed and grouped once however
// many studies want the patient. Pure and synchronous, so it runs the same on a worker thread
// and in a test.

import type { IsoDay } from '../fhir/dates.js';
import { groupByPatient } from '../ingest/group-by-patient.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import { renderResearchSubject, type ResearchSubjectResource } from '../render/research-subject.js';
import { screenPatient } from '../screening/screen-patient.js';
import { isFailing } from '../screening/status.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

export interface ScreenJob {
  patientId: string;
  lines: string[];
  /** The studies to screen the patient for, each loaded by the pool's workers. */
  studyIds: readonly string[];
}

/** One patient's answer for one study. */
export type ScreenOutcome = { studyId: string; patientId: string; patientRef: string } & (
  | {
      status: 'candidate' | 'potential-candidate' | 'ineligible';
      failing: string[];
      results: Record<string, string>;
      eligibleFrom?: string;
      resource: ResearchSubjectResource;
    }
  | { status: 'not-screened'; reason: string }
);

export interface ScreenContext {
  studies: ReadonlyMap<string, ScreeningStudy>;
  asOf: IsoDay;
  canonicalBase: string;
}

/**
 * One outcome per study of the job, in the job's order. A patient whose screening throws is
 * answered as not screened (for that study only, when only that study's screening threw).
 */
export function screenJob(job: ScreenJob, context: ScreenContext): ScreenOutcome[] {
  const patientRef = `Patient/${job.patientId}`;
  const notScreened = (reason: string): ScreenOutcome[] =>
    job.studyIds.map((studyId) => ({ studyId, patientId: job.patientId, patientRef, status: 'not-screened', reason }));
  let record: PatientRecord | undefined;
  try {
    // Lines were parsed once already when gathered; parsing again here keeps objects off the
    // main thread and out of the spill, and costs only the candidates' bytes.
    const resources = job.lines.map((line) => JSON.parse(line) as unknown);
    const grouped = groupByPatient(resources);
    record = grouped.records.find((r) => r.patientId === job.patientId);
    if (!record) return notScreened(grouped.problems.find((p) => p.patientId === job.patientId)?.reason ?? 'patient-absent');
  } catch (error) {
    return notScreened(screeningErrorReason(error));
  }
  return job.studyIds.map((studyId) => {
    try {
      const study = context.studies.get(studyId);
      if (!study) throw new Error(`the screening thread has not loaded study ${studyId}`);
      return screenFor(study, record, job.patientId, context);
    } catch (error) {
      return { studyId, patientId: job.patientId, patientRef, status: 'not-screened', reason: screeningErrorReason(error) };
    }
  });
}

function screenFor(study: ScreeningStudy, record: PatientRecord, patientId: string, context: ScreenContext): ScreenOutcome {
  const evaluation = screenPatient(study, record, context.asOf);
  const results: Record<string, string> = {};
  for (const c of evaluation.criteria) results[c.id] = c.result;
  const outcome: ScreenOutcome = {
    studyId: study.mapping.id,
    patientId,
    patientRef: evaluation.patientRef,
    status: evaluation.status,
    failing: evaluation.criteria.filter(isFailing).map((c) => c.id),
    results,
    resource: renderResearchSubject(evaluation, { canonicalBase: context.canonicalBase }),
  };
  if (evaluation.eligibleFrom) outcome.eligibleFrom = evaluation.eligibleFrom;
  return outcome;
}

/** The error's message may quote data: only its kind travels. */
function screeningErrorReason(error: unknown): string {
  return error instanceof Error ? `screening-error:${error.name}` : 'screening-error';
}
