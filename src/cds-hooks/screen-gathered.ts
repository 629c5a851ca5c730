// The screening step of a patient-view call, after its data is gathered into one collection
// Bundle: the same steps as $screen (http/screen-one.ts). The request thread and the screening
// threads both call this, so the two paths cannot drift apart.

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

export function screenGathered(
  study: ScreeningStudy,
  bundle: Record<string, unknown>,
  today: IsoDay,
  options: ScreenGatheredOptions,
): { evaluation: Evaluation; resource: ResearchSubjectResource } {
  const record = buildPatientRecord(bundle, { maxEntries: options.maxEntries, rootPath: 'Bundle' });
  const evaluation = screenPatient(study, record, today);
  const resource = renderResearchSubject(evaluation, { canonicalBase: options.canonicalBase });
  return { evaluation, resource };
}
