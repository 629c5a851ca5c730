// Screens the patient data a CDS call gathered (prefetch, else fhirServer) into one collection
// Bundle: the same steps as $screen (http/screen-one.ts). The patient record is built once and
// each study the call screens is screened on it (screening/screen-studies.ts), so
// `trials-prescreen` parses a prefetch once however many studies it holds. The request thread
// and the screening threads both call this, so the two paths cannot drift apart.

import type { IsoDay } from '../fhir/dates.js';
import { buildPatientRecord } from '../ingest/build-patient-record.js';
import { screenStudies, type StudyScreening } from '../screening/screen-studies.js';
import type { ScreeningStudy } from '../screening/study-registry.js';

export interface ScreenGatheredOptions {
  maxEntries: number;
  canonicalBase: string;
}

/** One screening per study, in the order given. */
export function screenGathered(
  studies: readonly ScreeningStudy[],
  bundle: Record<string, unknown>,
  today: IsoDay,
  options: ScreenGatheredOptions,
): StudyScreening[] {
  const record = buildPatientRecord(bundle, { maxEntries: options.maxEntries, rootPath: 'Bundle' });
  return [...screenStudies(studies, record, today, options.canonicalBase)];
}
