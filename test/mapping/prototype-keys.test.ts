// Every lookup the model builder makes with a string from the input (a unit, a unit alias, an
// Age unit, a periodUnit, a timing code, a resourceType), asked with a name of an
// Object.prototype member: each finds nothing, and the reader says why, as for any unknown
// string (issue 14 §1). With plain objects these found functions: a 500, or a NaN dose.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { loadStudy } from '../../src/screening/study-registry.js';
import { clean, CLEANED_LIMIT, conversionFactor, isUcumUnit, UNIT_MEMO_LIMIT, unitMemoSizes } from '../../src/mapping/units.js';
import { PROTOTYPE_NAMES } from '../fuzz/prototype-names.js';

const { mapping } = await loadStudy(join(import.meta.dirname, '../../fhir-mappings/belimumab-iim'));
const AS_OF = '2026-10-26';
const subject = { reference: 'Patient/p' };
const UCUM = 'http://unitsofmeasure.org';
const GTS = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

function modelOf(...resources: Record<string, unknown>[]) {
  const entry = [{ resource: { resourceType: 'Patient', id: 'p', birthDate: '1970-01-01' } }, ...resources.map((resource) => ({ resource }))];
  return mapping.buildModel(buildPatientRecord({ resourceType: 'Bundle', type: 'collection', entry }), AS_OF);
}

const inr = (id: string, unit: string) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  subject,
  code: { coding: [{ system: 'http://loinc.org', code: '6301-6' }] },
  effectiveDateTime: '2026-10-01',
  valueQuantity: { value: 1.1, unit, system: UCUM, code: unit },
});

const prednisone = (id: string, dosage: Record<string, unknown>, resourceType = 'MedicationStatement') => ({
  resourceType,
  id,
  status: 'active',
  subject,
  medicationCodeableConcept: { text: 'prednisone 5 MG Oral Tablet' },
  effectivePeriod: { start: '2026-03-01' },
  dosage: [dosage],
});

describe('lookups keyed by input strings, asked with Object.prototype names', () => {
  it('units: UCUM finds no such unit, alone or in an expression, and says so (INR and its unit aliases)', () => {
    for (const name of PROTOTYPE_NAMES) {
      for (const unit of [name, `mg/${name}`, `${name}/L`, `k${name}`, `10*3/${name}`]) {
        expect(isUcumUnit(unit), unit).toBe(false);
        expect(conversionFactor(unit, 'mg'), unit).toBeUndefined();
        expect(conversionFactor('mg', unit), unit).toBeUndefined();
      }
    }
    const model = modelOf(...PROTOTYPE_NAMES.map((name, i) => inr(`inr${i}`, name)));
    expect(model.labs.map((l) => [l.value, l.valueProblem])).toEqual(PROTOTYPE_NAMES.map((name) => [undefined, `unit '${name}' cannot be converted to {INR}`]));
    // The aliases still apply.
    expect(modelOf(inr('ok', 'INR')).labs[0]).toMatchObject({ value: 1.1, unit: '{INR}' });
  });

  it('an Age onset in such a unit is an unreadable onset (inc-biopsy-mri-long-disease reads it)', () => {
    const model = modelOf(
      ...PROTOTYPE_NAMES.map((name, i) => ({
        resourceType: 'Condition',
        id: `dx${i}`,
        subject,
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'M33.12' }] },
        onsetAge: { value: 40, unit: name, system: UCUM, code: name },
      })),
    );
    expect(model.diagnoses).toHaveLength(PROTOTYPE_NAMES.length);
    model.diagnoses.forEach((d, i) => {
      expect(d.onset).toBeUndefined();
      expect(d.problems).toContain(`onset Age unit '${PROTOTYPE_NAMES[i]}' is not a, mo, wk or d`);
    });
  });

  it('a periodUnit or a timing code of such a name gives no frequency, never a NaN dose (inc-stable-glucocorticoid)', () => {
    const byPeriod = modelOf(...PROTOTYPE_NAMES.map((name, i) => prednisone(`a${i}`, { timing: { repeat: { frequency: 1, period: 1, periodUnit: name } }, doseAndRate: [{ doseQuantity: { value: 5, unit: 'mg', system: UCUM, code: 'mg' } }] })));
    const byCode = modelOf(...PROTOTYPE_NAMES.map((name, i) => prednisone(`c${i}`, { timing: { code: { coding: [{ system: GTS, code: name }] } }, doseAndRate: [{ doseQuantity: { value: 5, unit: 'mg', system: UCUM, code: 'mg' } }] })));
    expect(byPeriod.medications.map((m) => m.dose)).toEqual(PROTOTYPE_NAMES.map(() => ({ perAdministrationMg: 5, problem: 'the dosing frequency cannot be read' })));
    expect(byCode.medications.map((m) => m.dose)).toEqual(PROTOTYPE_NAMES.map(() => ({ perAdministrationMg: 5, problem: 'no dosing frequency' })));
  });

  it('a resourceType of such a name is no medication record (nor anything else)', () => {
    const model = modelOf(...PROTOTYPE_NAMES.map((name, i) => prednisone(`r${i}`, {}, name)));
    expect(model.medications).toEqual([]);
  });

  it('the unit caches stay within their bound however many different units (and values) arrive', () => {
    for (let i = 0; i < UNIT_MEMO_LIMIT + 50; i++) {
      isUcumUnit(`{made-up-${i}}`);
      conversionFactor(`mg{n${i}}`, 'g');
    }
    for (let i = 0; i < CLEANED_LIMIT + 50; i++) clean(i + 0.5);
    const sizes = unitMemoSizes();
    expect(sizes.validity).toBeGreaterThan(0);
    expect(sizes.validity).toBeLessThanOrEqual(UNIT_MEMO_LIMIT);
    expect(sizes.factors).toBeGreaterThan(0);
    expect(sizes.factors).toBeLessThanOrEqual(UNIT_MEMO_LIMIT);
    expect(sizes.cleaned).toBeGreaterThan(0);
    expect(sizes.cleaned).toBeLessThanOrEqual(CLEANED_LIMIT);
    // Still right after emptying.
    expect(conversionFactor('g', 'mg')).toBe(1000);
  });
});
