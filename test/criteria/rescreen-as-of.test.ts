// criteria.md Common rules: "Screening as of D sees only what had happened by D ... Re-screening
// an old asOf must give the answer that date would have given." The dm-candidate example plus
// records dated after an earlier D, screened through screenPatient() on two dates: on the earlier
// date the answer must be exactly the one for the bundle without those later records; on the
// later date they count.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';

const EARLY = '2026-10-26';
const LATE = '2027-03-01';
const ICD = 'http://hl7.org/fhir/sid/icd-10-cm';
const subject = { reference: 'Patient/example-pat' };

type Resource = { resourceType: string; [k: string]: unknown };

// Everything here happened after EARLY and on or before LATE.
const LATER: Resource[] = [
  { resourceType: 'Condition', id: 'later-hiv', subject, code: { coding: [{ system: ICD, code: 'B20' }] }, onsetDateTime: '2026-12-01' },
  { resourceType: 'Condition', id: 'later-aih', subject, code: { coding: [{ system: ICD, code: 'K75.4' }] }, recordedDate: '2026-11-02' },
  { resourceType: 'Condition', id: 'later-pid', subject, code: { coding: [{ system: ICD, code: 'D80.0' }] }, onsetDateTime: '2027-01-15' },
  {
    resourceType: 'Observation', id: 'later-hbsag', status: 'final', subject,
    code: { coding: [{ system: 'http://loinc.org', code: '5196-1' }] }, effectiveDateTime: '2027-02-01',
    interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'POS' }] }],
  },
  {
    resourceType: 'MedicationAdministration', id: 'later-rtx', status: 'completed', subject,
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '121191', display: 'rituximab' }] },
    effectiveDateTime: '2027-01-10', dosage: { route: { coding: [{ system: 'http://snomed.info/sct', code: '47625008' }] } },
  },
  {
    resourceType: 'AllergyIntolerance', id: 'later-contrast', patient: subject, recordedDate: '2026-11-20',
    code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'V08AB02' }] },
    reaction: [{ manifestation: [{ coding: [{ system: 'http://snomed.info/sct', code: '39579001' }] }] }],
  },
];

const CHANGED_LATE = ['exc-primary-immunodeficiency', 'exc-rituximab-365d', 'exc-anaphylaxis', 'exc-hiv', 'exc-autoimmune-hepatitis', 'exc-hepatitis-b-c'];

const study = (await loadStudies('fhir-mappings')).get('belimumab-iim')!;

describe('re-screening an old asOf (criteria.md Common rules)', () => {
  const base = JSON.parse(readFileSync('test/fixtures/dm-candidate.json', 'utf8')) as { entry: { resource: Resource }[] };
  const withLater = structuredClone(base);
  withLater.entry.push(...LATER.map((resource) => ({ resource: structuredClone(resource) })));
  const screen = (bundle: unknown, asOf: string) => screenPatient(study, buildPatientRecord(structuredClone(bundle)), asOf);

  it("on the earlier date, records dated after it change nothing: the answer is that date's", () => {
    const before = screen(base, EARLY);
    const after = screen(withLater, EARLY);
    expect(after).toEqual(before);
    expect(after.status).toBe('candidate');
  });

  it('on the later date, the same records count', () => {
    const late = screen(withLater, LATE);
    expect(late.status).toBe('ineligible');
    const results = new Map(late.criteria.map((c) => [c.id, c]));
    for (const id of CHANGED_LATE) expect(results.get(id)!.result, id).toBe('met');
  });
});
