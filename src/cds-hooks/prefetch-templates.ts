// The prefetch templates of a study's service, built from its mapping (prefetch-codes.ts): one
// read of the Patient and one `<Type>?patient={{context.patientId}}` search per type the
// mapping reads. Observations are narrowed to the exact lab and measure codes, and
// DiagnosticReports to the finding codes; a long code list is split over several keys so no
// URL grows past what servers accept [Prefetch Template: token equality].

import type { PrefetchCodes, SearchCode } from '../mapping/prefetch-codes.js';

export const PATIENT_TOKEN = '{{context.patientId}}';

/** The query string a code parameter may take in one template. */
export const MAX_CODES_CHARS = 1800;

export interface PrefetchTemplate {
  key: string;
  /** Relative to fhirServer: `Patient/{{context.patientId}}`, `Condition?patient=…`. */
  template: string;
}

/** `conditions`, `familyMemberHistories`. */
function keyOf(type: string): string {
  const name = `${type.charAt(0).toLowerCase()}${type.slice(1)}`;
  return name.endsWith('y') ? `${name.slice(0, -1)}ies` : `${name}s`;
}

function chunks(codes: SearchCode[]): string[] {
  const out: string[] = [];
  let current = '';
  for (const c of codes) {
    const token = `${c.system}|${c.code}`;
    if (current !== '' && current.length + 1 + token.length > MAX_CODES_CHARS) {
      out.push(current);
      current = '';
    }
    current = current === '' ? token : `${current},${token}`;
  }
  if (current !== '') out.push(current);
  return out;
}

function coded(key: string, base: string, param: string, codes: SearchCode[]): PrefetchTemplate[] {
  const parts = chunks(codes);
  if (parts.length === 0) return [{ key, template: base }];
  return parts.map((part, i) => ({ key: parts.length === 1 ? key : `${key}${i + 1}`, template: `${base}&${param}=${part}` }));
}

export function buildPrefetchTemplates(codes: PrefetchCodes): PrefetchTemplate[] {
  const templates: PrefetchTemplate[] = [];
  for (const type of codes.resourceTypes) {
    if (type === 'Patient') {
      templates.push({ key: 'patient', template: `Patient/${PATIENT_TOKEN}` });
      continue;
    }
    const base = `${type}?patient=${PATIENT_TOKEN}`;
    if (type === 'Observation') templates.push(...coded(keyOf(type), base, 'code', codes.observationCodes));
    else if (type === 'DiagnosticReport') templates.push(...coded(keyOf(type), base, 'conclusion', codes.conclusionCodes));
    else templates.push({ key: keyOf(type), template: base });
  }
  return templates;
}

/** Fills the template's tokens; the patient id is already checked to be a FHIR id. */
export function fillTemplate(template: string, patientId: string): string {
  return template.split(PATIENT_TOKEN).join(patientId);
}
