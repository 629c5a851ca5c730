import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { STUDY_CODE } from '../../src/criteria/belimumab-iim/index.js';
import { loadStudyMapping } from '../../src/mapping/load-study.js';
import { needsOf } from '../../src/screening/study-registry.js';
import { thresholdsOf } from '../../src/criteria/belimumab-iim/thresholds.js';

const BELIMUMAB_NEEDS = needsOf(STUDY_CODE);

const mapping = loadStudyMapping(join(import.meta.dirname, '../../fhir-mappings/belimumab-iim'), BELIMUMAB_NEEDS);
const fixture = () => JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/dm-candidate.json'), 'utf8')) as Record<string, unknown>;

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null) {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

describe('buildModel on the shipped example (dm-candidate)', () => {
  const model = mapping.buildModel(buildPatientRecord(fixture()), '2026-10-26');

  it('reads the patient', () => {
    expect(model.patient).toEqual({
      ref: 'Patient/example-pat',
      id: 'example-pat',
      gender: 'female',
      birthDate: { earliest: '1968-04-14', latest: '1968-04-14' },
      deceased: false,
    });
  });

  it('finds the DM diagnosis, the glucocorticoid and methotrexate with their doses', () => {
    expect(model.diagnoses.map((d) => [d.ref, d.concepts])).toEqual([['Condition/example-dx', ['dx-dm']]]);
    const byRef = Object.fromEntries(model.medications.map((m) => [m.ref, m]));
    expect(byRef['MedicationStatement/example-pred2']).toMatchObject({
      agents: ['prednisone'],
      groups: ['glucocorticoid'],
      route: 'oral',
      ongoing: true,
      dose: { dailyMg: 10 },
      start: { earliest: '2026-04-20' },
      end: { earliest: '2026-10-26' },
    });
    expect(byRef['MedicationStatement/example-pred1']).toMatchObject({ ongoing: false, dose: { dailyMg: 20 }, end: { earliest: '2026-04-19' } });
    expect(byRef['MedicationStatement/example-mtx']).toMatchObject({ agents: ['methotrexate'], groups: ['immunosuppressant'], dose: { perAdministrationMg: 15 } });
    expect(byRef['MedicationStatement/example-mtx']!.dose.dailyMg).toBeCloseTo(15 / 7, 6);
  });

  it('reads the labs and measures the criteria need', () => {
    const lab = (test: string) => model.labs.find((l) => l.test === test);
    expect(lab('msa-mi2')).toMatchObject({ positivity: 'positive' });
    expect(lab('ck')).toMatchObject({ value: 600, unit: 'U/L', uln: 200, ulnSource: 'reference-range' });
    expect(lab('igg')).toMatchObject({ value: 1050, unit: 'mg/dL' });
    expect(lab('iga')).toMatchObject({ value: 210 });
    for (const t of ['hbsag', 'hbcab', 'hcv-ab']) expect(lab(t)?.positivity, t).toBe('negative');
    expect(lab('inr')).toMatchObject({ value: 1, unit: '{INR}' });
    const measures = Object.fromEntries(model.assessments.map((a) => [a.measure, a.value]));
    expect(measures).toEqual({
      'mmt8-150': 128,
      'phys-global-activity': 4,
      'pt-global-activity': 5,
      'haq-di': 1,
      'extramuscular-activity': 1,
      'mdi-muscle-damage': 2,
    });
  });

  it('carries the thresholds and a definition of every lab and measure for missingData queries', () => {
    expect(thresholdsOf(model)['inc-stable-glucocorticoid'].maxDailyPrednisoneMg).toBe(15);
    expect(model.tests['igg']).toEqual({ display: 'Immunoglobulin G', unit: 'mg/dL', codings: [{ system: 'http://loinc.org', code: '2465-3' }] });
    expect(model.tests['msa-srp']?.codings).toEqual([{ system: 'https://fhir-prescreen.org/CodeSystem/belimumab-iim', code: 'msa-srp' }]);
    expect(model.tests['haq-di']?.unit).toBe('{score}');
  });
});

describe('buildModel leaves its input alone', () => {
  it('does not change the caller\'s resources (fhirpath.js adds __path__ to what it evaluates)', () => {
    const bundle = fixture();
    const before = structuredClone(bundle);
    const record = buildPatientRecord(bundle);
    mapping.buildModel(record, '2026-10-26');
    expect(bundle).toStrictEqual(before);
    for (const e of record.entries) expect(Object.getOwnPropertyNames(e.resource)).not.toContain('__path__');
  });

  it('works on frozen input', () => {
    const bundle = deepFreeze(fixture());
    expect(() => mapping.buildModel(buildPatientRecord(bundle), '2026-10-26')).not.toThrow();
  });

  it('shares thresholds and test definitions frozen, so no caller can change them for the next', () => {
    const a = mapping.buildModel(buildPatientRecord(fixture()), '2026-10-26');
    expect(() => {
      thresholdsOf(a)['inc-age'].minYears = 99;
    }).toThrow(TypeError);
    expect(() => a.tests['igg']!.codings.push({ system: 's', code: 'c' })).toThrow(TypeError);
    const b = mapping.buildModel(buildPatientRecord(fixture()), '2026-10-26');
    expect(thresholdsOf(b)['inc-age'].minYears).toBe(18);
    expect(b.tests['igg']!.codings).toHaveLength(1);
  });
});

describe('buildModel never throws on wrongly typed data', () => {
  const junk: unknown[] = [null, 7, 'x', true, [], {}, [1, 'a'], { value: 'x' }, { coding: 'nope' }, [{ coding: [{ system: 5, code: {} }] }]];
  const fields: Record<string, string[]> = {
    Condition: ['onsetDateTime', 'onsetPeriod', 'onsetAge', 'recordedDate', 'abatementDateTime', 'clinicalStatus', 'verificationStatus'],
    Observation: ['status', 'effectiveDateTime', 'effectivePeriod', 'issued', 'valueQuantity', 'valueRatio', 'valueString', 'referenceRange', 'interpretation', 'component'],
    MedicationStatement: ['status', 'effectivePeriod', 'effectiveDateTime', 'dosage', 'statusReason', 'medicationReference'],
    MedicationRequest: ['authoredOn', 'dispenseRequest', 'dosageInstruction', 'statusReason'],
    MedicationAdministration: ['effectiveDateTime', 'dosage'],
    Encounter: ['class', 'period', 'reasonCode', 'reasonReference', 'diagnosis', 'status'],
    AllergyIntolerance: ['reaction', 'onsetDateTime', 'verificationStatus'],
    Procedure: ['performedDateTime', 'performedPeriod', 'status'],
    Patient: ['birthDate', 'gender', 'deceasedDateTime', 'deceasedBoolean'],
  };
  const base: Record<string, Record<string, unknown>> = {
    Condition: { code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M33.12' }] } },
    Observation: { status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '5048-4' }] } },
    MedicationStatement: { status: 'active', medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '8640' }] } },
    MedicationRequest: { status: 'active', medicationCodeableConcept: { text: 'rituximab' } },
    MedicationAdministration: { status: 'completed', medicationCodeableConcept: { text: 'immune globulin' } },
    Encounter: { status: 'finished', reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'A41.9' }] }] },
    AllergyIntolerance: { code: { text: 'contrast' } },
    Procedure: { code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '20200' }] } },
    Patient: {},
  };

  it.each(Object.keys(fields))('%s', (type) => {
    for (const field of fields[type]!) {
      for (const value of junk) {
        const resource = { resourceType: type, id: 'x', ...base[type], [field]: value };
        const resources = type === 'Patient' ? [resource] : [{ resourceType: 'Patient', id: 'p1', birthDate: '1970' }, resource];
        const bundle = { resourceType: 'Bundle', type: 'collection', entry: resources.map((r) => ({ resource: r })) };
        expect(() => mapping.buildModel(buildPatientRecord(bundle), '2026-01-01'), `${type}.${field} = ${JSON.stringify(value)}`).not.toThrow();
      }
    }
  });
});
