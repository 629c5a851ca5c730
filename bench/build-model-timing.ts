// Timing check (not a test; speed is measured, never asserted): buildModel on a ~300-resource
// patient against JSON.parse of the same bytes. Run: npx tsx bench/build-model-timing.ts

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPatientRecord } from '../src/ingest/build-patient-record.js';
import { loadStudy } from '../src/screening/study-registry.js';

const root = join(import.meta.dirname, '..');
const { mapping } = await loadStudy(join(root, 'fhir-mappings/belimumab-iim'));
const example = JSON.parse(readFileSync(join(root, 'test/fixtures/dm-candidate.json'), 'utf8')) as {
  entry: { resource: Record<string, unknown> }[];
};

// A realistic mix: the example's study-relevant resources, plus vitals, routine labs, other
// problems and drugs that no study value set holds (the bulk of a real record).
const subject = { reference: 'Patient/example-pat' };
const extra: Record<string, unknown>[] = [];
const vitals = [['8867-4', 'Heart rate', '/min', 72], ['8480-6', 'Systolic BP', 'mm[Hg]', 124], ['29463-7', 'Body weight', 'kg', 68], ['8310-5', 'Body temperature', 'Cel', 36.8]] as const;
const routine = [['718-7', 'Hemoglobin', 'g/dL', 13.1], ['6690-2', 'WBC', '10*3/uL', 6.2], ['2160-0', 'Creatinine', 'mg/dL', 0.8], ['2951-2', 'Sodium', 'mmol/L', 140]] as const;
for (let i = 0; i < 50; i++) {
  for (const [code, display, unit, value] of [...vitals, ...routine]) {
    extra.push({
      resourceType: 'Observation', id: `obs-${code}-${i}`, status: 'final', subject,
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
      effectiveDateTime: `2025-${String((i % 12) + 1).padStart(2, '0')}-10T09:30:00-05:00`,
      valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: unit },
    });
    if (extra.length >= 230) break;
  }
  if (extra.length >= 230) break;
}
for (let i = 0; i < 25; i++) {
  extra.push({ resourceType: 'Condition', id: `cond-${i}`, subject, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: ['I10', 'E78.5', 'K21.9', 'M81.0', 'E11.9'][i % 5] }] }, onsetDateTime: '2019-04-02' });
  extra.push({ resourceType: 'MedicationRequest', id: `mr-${i}`, status: 'active', intent: 'order', subject, medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: ['29046', '83367', '40790', '6809', '17767'][i % 5] }], text: ['lisinopril 10 MG Oral Tablet', 'atorvastatin 20 MG Oral Tablet', 'pantoprazole 40 MG Delayed Release Oral Tablet', 'metformin 500 MG Oral Tablet', 'amlodipine 5 MG Oral Tablet'][i % 5] }, authoredOn: '2024-01-01' });
}
const bundle = { resourceType: 'Bundle', type: 'collection', entry: [...example.entry, ...extra.map((resource) => ({ resource }))] };
const bytes = JSON.stringify(bundle);
const record = buildPatientRecord(JSON.parse(bytes));

function perCall(fn: () => unknown, iterations: number): number {
  for (let i = 0; i < 50; i++) fn();
  const t = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  return (performance.now() - t) / iterations;
}

const n = 500;
const parse = perCall(() => JSON.parse(bytes), n);
const build = perCall(() => mapping.buildModel(record, '2026-10-26'), n);
const ingest = perCall(() => buildPatientRecord(JSON.parse(bytes)), n);
const model = mapping.buildModel(record, '2026-10-26');
const kept = model.diagnoses.length + model.medications.length + model.labs.length + model.assessments.length;
console.log(`resources: ${bundle.entry.length}, bytes: ${bytes.length}, model records: ${kept}`);
console.log(`JSON.parse:            ${parse.toFixed(3)} ms`);
console.log(`buildModel:            ${build.toFixed(3)} ms  (${(build / parse).toFixed(2)} × JSON.parse)`);
console.log(`parse + ingest (ref.): ${ingest.toFixed(3)} ms`);
