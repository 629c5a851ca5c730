// Strings that name members of Object.prototype (issue 14 §1). Read as a key of a plain object,
// each finds a function or an object instead of nothing: `constructor` as a unit once made
// $screen answer 500. The fuzz suite writes them into string-valued elements; the
// deterministic test writes them into a realistic patient's units, codes, systems, ids, texts.

import type { Json } from './fuzz-helpers.js';

export const PROTOTYPE_NAMES: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'valueOf',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
];

/** The names a FHIR id can hold (`[A-Za-z0-9\-.]{1,64}`: no underscores). */
export const ID_SAFE_NAMES: readonly string[] = PROTOTYPE_NAMES.filter((n) => /^[A-Za-z0-9\-.]{1,64}$/.test(n));

const UCUM = 'http://unitsofmeasure.org';
const GTS = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

/**
 * The shipped DM candidate (examples/candidate-dm.json) with Object.prototype names written
 * everywhere a Bundle carries a unit, a code, a system, an id or a text: the Patient's id (and
 * every reference to it), an extra coding on every CodeableConcept, the INR's unit, and extra
 * resources made of nothing else (a lab, conditions with an Age onset in such a unit, prednisone
 * records whose dose unit, periodUnit and timing code are such names, an allergy, an encounter,
 * a procedure, resources whose resourceType is such a name). `word` spells each name: the names themselves, or a harmless control spelling
 * (`x` + name) that must give the same answer.
 */
export function withPrototypeNames(candidate: Json, word: (name: string) => string): Json {
  const patientId = word('constructor');
  const text = JSON.stringify(candidate).replaceAll('Patient/example-pat', `Patient/${patientId}`);
  const bundle = JSON.parse(text) as Json;
  const w = word;
  const coding = (system: string, code: string, display?: string): Json => ({ system, code, ...(display === undefined ? {} : { display }) });
  const concept = (...codings: Json[]): Json => ({ coding: codings, text: w('toString') });

  for (const entry of bundle['entry'] as Json[]) {
    const r = entry['resource'] as Json;
    if (r['resourceType'] === 'Patient') {
      r['id'] = patientId;
      r['identifier'] = [{ system: w('hasOwnProperty'), value: w('__proto__') }];
      r['extension'] = [{ url: w('__proto__'), valueString: w('constructor') }];
    }
    addCodings(r, coding(w('__proto__'), w('constructor'), w('valueOf')));
    if (r['id'] === 'example-inr') {
      r['valueQuantity'] = { ...r['valueQuantity'], unit: w('constructor'), code: w('constructor') };
    }
  }

  const subject = { reference: `Patient/${patientId}` };
  const dose = (value: number, unit: string): Json => ({ value, unit, system: UCUM, code: unit });
  const prednisone = (id: string, dosage: Json): Json => ({
    resourceType: 'MedicationStatement',
    id,
    status: 'active',
    subject,
    medicationCodeableConcept: { coding: [coding(w('__proto__'), w('toLocaleString'))], text: 'prednisone 5 MG Oral Tablet' },
    effectivePeriod: { start: '2026-03-01' },
    dosage: [{ route: concept(coding(w('constructor'), w('__proto__'))), ...dosage }],
  });
  const extra: Json[] = [
    {
      resourceType: 'Observation',
      id: w('toString'),
      status: 'final',
      subject,
      code: concept(coding(w('hasOwnProperty'), w('valueOf'), w('isPrototypeOf'))),
      effectiveDateTime: '2026-09-01',
      valueQuantity: { value: 2, unit: w('__proto__'), system: UCUM, code: w('__proto__') },
      interpretation: [concept(coding(w('constructor'), w('toString')))],
      referenceRange: [{ high: { value: 3, unit: w('valueOf'), system: UCUM, code: w('valueOf') } }],
    },
    {
      resourceType: 'Observation',
      id: w('valueOf'),
      status: w('toString'),
      subject,
      code: { coding: [{ system: 'http://loinc.org', code: '2157-6' }] },
      effectiveDateTime: '2026-09-02',
      valueQuantity: { value: 120, unit: w('__lookupGetter__'), system: UCUM, code: `U/${w('__proto__')}` },
    },
    {
      resourceType: 'Condition',
      id: w('hasOwnProperty'),
      subject,
      clinicalStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/condition-clinical', w('toString'))] },
      verificationStatus: { coding: [coding(w('__proto__'), w('constructor'))] },
      code: concept(coding(w('constructor'), w('__proto__'), w('propertyIsEnumerable'))),
      onsetAge: { value: 30, unit: w('constructor'), system: UCUM, code: w('constructor') },
    },
    {
      resourceType: 'Condition',
      id: `${w('hasOwnProperty')}.2`,
      subject,
      clinicalStatus: { coding: [coding('http://terminology.hl7.org/CodeSystem/condition-clinical', 'active')] },
      code: { coding: [coding('http://hl7.org/fhir/sid/icd-10-cm', 'M33.12')], text: w('constructor') },
      onsetAge: { value: 30, unit: w('toString'), system: UCUM, code: w('toString') },
    },
    prednisone(w('isPrototypeOf'), { timing: { repeat: { frequency: 1, period: 1, periodUnit: w('__proto__') } }, doseAndRate: [{ doseQuantity: dose(5, 'mg') }] }),
    prednisone(`${w('constructor')}.2`, { timing: { code: { coding: [coding(GTS, w('valueOf'))] } }, doseAndRate: [{ doseQuantity: dose(5, 'mg') }] }),
    prednisone(`${w('constructor')}.3`, { timing: { code: { coding: [coding(GTS, 'QD')] } }, doseAndRate: [{ doseQuantity: dose(5, w('__defineGetter__')) }] }),
    {
      resourceType: 'AllergyIntolerance',
      id: `${w('toString')}.4`,
      patient: subject,
      code: concept(coding(w('__proto__'), w('hasOwnProperty'))),
      reaction: [{ manifestation: [concept(coding(w('constructor'), w('valueOf')))] }],
    },
    {
      resourceType: 'Encounter',
      id: `${w('toString')}.5`,
      status: w('valueOf'),
      class: coding(w('__proto__'), w('constructor')),
      subject,
      period: { start: '2026-10-01', end: '2026-10-03' },
      reasonCode: [concept(coding(w('constructor'), w('toString')))],
    },
    {
      resourceType: 'Procedure',
      id: `${w('toString')}.6`,
      status: w('constructor'),
      subject,
      code: concept(coding(w('hasOwnProperty'), w('__proto__'))),
      performedDateTime: '2025-01-01',
    },
    // Types no reader knows, named like Object.prototype members.
    ...['__proto__', 'constructor', 'toString'].map((name, i) => ({ resourceType: w(name), id: `${w('valueOf')}.${i}`, subject, status: 'active' })),
  ];
  for (const resource of extra) {
    (bundle['entry'] as Json[]).push({ fullUrl: `https://ehr.example.org/fhir/${resource['resourceType']}/${resource['id']}`, resource });
  }
  return bundle;
}

/** Adds `extra` to every CodeableConcept (an object with a coding list) inside `node`. */
function addCodings(node: unknown, extra: Json): void {
  if (Array.isArray(node)) {
    for (const item of node) addCodings(item, extra);
  } else if (node !== null && typeof node === 'object') {
    const obj = node as Json;
    for (const value of Object.values(obj)) addCodings(value, extra);
    if (Array.isArray(obj['coding'])) obj['coding'].push({ ...extra });
  }
}
