// One patient's record screened for several studies, each result rendered as the ResearchSubject
// every channel answers and stores: $screen (http/screen-one.ts) and CDS Hooks
// (cds-hooks/screen-gathered.ts) build the record once and screen it here. Lazy, one study at a
// time in the order given, so a caller can do its own work between studies (a deadline check).
// The nightly finder (batch/screen-job.ts) keeps its own loop: it answers a study whose
// screening throws as not screened and carries on with the others.

import type { IsoDay } from '../fhir/dates.js';
import type { PatientRecord } from '../ingest/patient-record.js';
import { renderResearchSubject, type ResearchSubjectResource } from '../render/research-subject.js';
import type { Evaluation } from './evaluation.js';
import { screenPatient } from './screen-patient.js';
import type { ScreeningStudy } from './study-registry.js';

export interface StudyScreening {
  evaluation: Evaluation;
  resource: ResearchSubjectResource;
}

export function* screenStudies(studies: readonly ScreeningStudy[], record: PatientRecord, asOf: IsoDay, canonicalBase: string): Generator<StudyScreening> {
  for (const study of studies) {
    const evaluation = screenPatient(study, record, asOf);
    yield { evaluation, resource: renderResearchSubject(evaluation, { canonicalBase }) };
  }
}
