// missingData entries with the FHIR search that would fetch the deciding data, so a
// CDS client or the nightly job can ask the EHR for exactly that.

import type { EligibilityModel } from '../../mapping/model.js';
import type { MissingData } from '../types.js';
import { codingText } from './labels.js';

export function testDisplay(model: EligibilityModel, testId: string): string {
  return model.tests[testId]?.display ?? testId;
}

/** `IgG [Mass/volume] in Serum or Plasma (LOINC 2465-3)` plus its Observation search. */
export function missingTest(model: EligibilityModel, testId: string, why?: string): MissingData {
  const def = model.tests[testId];
  const codes = def ? def.codings.map(codingText).join(', ') : '';
  const text = `${def?.display ?? testId}${codes ? ` (${codes})` : ''}${why ? `: ${why}` : ''}`;
  const missing: MissingData = { text };
  if (def && def.codings.length > 0) {
    const tokens = def.codings.map((c) => `${c.system}|${c.code}`).join(',');
    missing.query = `Observation?patient=${model.patient.id}&code=${tokens}`;
  }
  return missing;
}

export function missingBirthDate(model: EligibilityModel, why = 'the patient\'s birth date'): MissingData {
  return { text: why, query: `Patient?_id=${model.patient.id}` };
}

/** A date or detail of a record already in the input: the query re-reads that record. */
export function missingRecordDetail(ref: string, text: string): MissingData {
  const [type, id] = ref.split('/');
  const missing: MissingData = { text };
  if (type && id && /^[A-Za-z]+$/.test(type) && !ref.includes(':')) missing.query = `${type}?_id=${id}`;
  return missing;
}
