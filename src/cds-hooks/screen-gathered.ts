// Screens the patient data a CDS call gathered (prefetch, else fhirServer) into one collection
// Bundle: the same steps as $screen (http/screen-one.ts). The patient record is built once and
// each study the call screens is screened on it, so `trials-prescreen` parses a prefetch once
// however many studies it holds. The request thread and the screening threads both call this,
// so the two paths cannot drift apart.

import type { IsoDay } from '../fhir/dates.js';
import { buildPatientRecord } from '../ingest/build-patient-record.js';
import { renderResearchSubject, type ResearchSubjectResource } from '../render/research-subject.js';
import type { Evaluation } from '../screening/evaluation.js';
import { screenPatient } from '../screening/screen-patient.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

export interface ScreenGatheredOptions {
  maxEntries: number;
  canonicalBase: string;
}

export interface GatheredScreening {
  evaluation: Evaluation;
  resource: ResearchSubjectResource;
}

/** One screening per study, in the order given. */
export function screenGathered(
  studies: readonly ScreeningStudy[],
  bundle: Record<string, unknown>,
  today: IsoDay,
  options: ScreenGatheredOptions,
): GatheredScreening[] {
  const record = buildPatientRecord(bundle, { maxEntries: options.maxEntries, rootPath: 'Bundle' });
  return studies.map((study) => {
    const evaluation = screenPatient(study, record, today);
    return { evaluation, resource: renderResearchSubject(evaluation, { canonicalBase: options.canonicalBase }) };
  });
}
