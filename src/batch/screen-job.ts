// What a screening worker does with one gathered patient: parse the lines, group them the
// batch way (ingest's groupByPatient: duplicates collapse, conflicting copies exclude the
// patient), screen through the one screenPatient(), render the same ResearchSubject as $screen.
// Pure and synchronous, so it runs the same on a worker thread and in a test.

import type { IsoDay } from '../fhir/dates.js';
import { groupByPatient } from '../ingest/group-by-patient.js';
import { renderResearchSubject, type ResearchSubjectResource } from '../render/research-subject.js';
import { screenPatient } from '../screening/screen-patient.js';
import { isFailing } from '../screening/status.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

export interface ScreenJob {
  patientId: string;
  lines: string[];
}

export type ScreenOutcome =
  | {
      patientId: string;
      patientRef: string;
      status: 'candidate' | 'potential-candidate' | 'ineligible';
      failing: string[];
      results: Record<string, string>;
      eligibleFrom?: string;
      resource: ResearchSubjectResource;
    }
  | { patientId: string; patientRef: string; status: 'not-screened'; reason: string };

export interface ScreenContext {
  study: ScreeningStudy;
  asOf: IsoDay;
  canonicalBase: string;
}

export function screenJob(job: ScreenJob, context: ScreenContext): ScreenOutcome {
  const patientRef = `Patient/${job.patientId}`;
  // Lines were parsed once already when gathered; parsing again here keeps objects off the
  // main thread and out of the spill, and costs only the candidates' bytes.
  const resources = job.lines.map((line) => JSON.parse(line) as unknown);
  const { records, problems } = groupByPatient(resources);
  const record = records.find((r) => r.patientId === job.patientId);
  if (!record) {
    const reason = problems.find((p) => p.patientId === job.patientId)?.reason ?? 'patient-absent';
    return { patientId: job.patientId, patientRef, status: 'not-screened', reason };
  }
  const evaluation = screenPatient(context.study, record, context.asOf);
  const results: Record<string, string> = {};
  for (const c of evaluation.criteria) results[c.id] = c.result;
  const outcome: ScreenOutcome = {
    patientId: job.patientId,
    patientRef: evaluation.patientRef,
    status: evaluation.status,
    failing: evaluation.criteria.filter(isFailing).map((c) => c.id),
    results,
    resource: renderResearchSubject(evaluation, { canonicalBase: context.canonicalBase }),
  };
  if (evaluation.eligibleFrom) outcome.eligibleFrom = evaluation.eligibleFrom;
  return outcome;
}
