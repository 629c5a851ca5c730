// How records are named in reasons: a coordinator reads these, so they carry the code, the
// display and the date as written (a partial date stays partial).

import { daysInMonth, type DayRange } from '../../fhir/dates.js';
import type { CodingRef, Diagnosis, LabResult, MedicationRecord, ProcedureRecord } from '../../mapping/model.js';

/** Keyed by the system as sent, so a Map. */
const SYSTEM_NAMES: ReadonlyMap<string, string> = new Map([
  ['http://hl7.org/fhir/sid/icd-10-cm', 'ICD-10-CM'],
  ['http://snomed.info/sct', 'SNOMED'],
  ['http://loinc.org', 'LOINC'],
  ['http://www.nlm.nih.gov/research/umls/rxnorm', 'RxNorm'],
  ['http://www.whocc.no/atc', 'ATC'],
  ['http://www.ama-assn.org/go/cpt', 'CPT'],
]);

/** A study's own codes (its systems.yaml `local`, e.g. `…/CodeSystem/<study>`), whichever study. */
const LOCAL_SYSTEM_PREFIX = 'https://fhir-prescreen.org/CodeSystem/';

export function systemName(system: string): string {
  return SYSTEM_NAMES.get(system) ?? (system.startsWith(LOCAL_SYSTEM_PREFIX) ? 'local code' : system);
}

export function codingText(coding: CodingRef): string {
  return `${systemName(coding.system)} ${coding.code}`;
}

/** `2019-03-05`, `2019-03`, `2019`, or `2019-03-28..2019-04-02` for other ranges. */
export function dateText(r: DayRange): string {
  if (r.earliest === r.latest) return r.earliest;
  const [ey, em, ed] = r.earliest.split('-');
  const [ly, lm, ld] = r.latest.split('-');
  if (ey === ly && ed === '01') {
    if (em === '01' && lm === '12' && ld === '31') return ey!;
    if (em === lm && Number(ld) === daysInMonth(Number(ly), Number(lm))) return `${ey}-${em}`;
  }
  return `${r.earliest}..${r.latest}`;
}

export function conditionLabel(dx: Diagnosis | ProcedureRecord): string {
  const name = dx.coding.display ?? ('text' in dx ? dx.text : undefined) ?? dx.coding.code;
  return `${name} (${codingText(dx.coding)}, ${dx.ref})`;
}

export function medicationLabel(m: MedicationRecord): string {
  const byName = m.matchedByName ? ', matched by name' : '';
  return `${m.display} (${m.ref}${byName})`;
}

export function labLabel(lab: LabResult, display: string): string {
  const when = lab.date ? ` on ${dateText(lab.date)}` : ' (undated)';
  return `${display} ${lab.valueText}${when} (${lab.ref})`;
}

/** "A, B and C" for reasons. */
export function listText(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
