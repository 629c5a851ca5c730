// Two studies served at once: a temporary MAPPINGS_DIR holding every shipped study folder
// (fhir-mappings/) and the kit-only test study test/fixtures/kit-studies/kit-demo, so a test
// proves a channel serves whichever study a request names, not the one it was written for.
// Patients for each study are built relative to the screening date, so the CDS service (which
// screens as of today, UTC) and $screen with ?asOf=today answer about the same data.

import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addDays } from '../../src/fhir/dates.js';
import { loadStudies, type ScreeningStudy } from '../../src/screening/study-registry.js';

export type Json = Record<string, any>;

const SHIPPED = fileURLToPath(new URL('../../fhir-mappings', import.meta.url));
const KIT_DEMO = fileURLToPath(new URL('../fixtures/kit-studies/kit-demo', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url));

export interface TwoStudies {
  /** The MAPPINGS_DIR to give the app, the finder and the sample tool. */
  dir: string;
  studies: Map<string, ScreeningStudy>;
  remove(): void;
}

/** fhir-mappings/ and kit-demo side by side in a fresh temporary folder. */
export async function twoStudies(): Promise<TwoStudies> {
  const dir = mkdtempSync(join(tmpdir(), 'prescreen-studies-'));
  cpSync(SHIPPED, dir, { recursive: true });
  cpSync(KIT_DEMO, join(dir, 'kit-demo'), { recursive: true });
  return { dir, studies: await loadStudies(dir), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface TestPatient {
  name: string;
  patientId: string;
  bundle: Json;
}

/**
 * kit-demo patients as of `asOf`, one per outcome of its rules: a candidate (only the manual
 * consent I4 left), a potential candidate (no HbA1c within 6 months, I3), an ineligible one
 * (active type 1 diabetes, E1) and one with no diabetes at all (I2 not met).
 */
export function kitDemoPatients(asOf: string): TestPatient[] {
  const patient = (id: string, resources: Json[]): TestPatient => ({
    name: id,
    patientId: id,
    bundle: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id, gender: 'female', birthDate: '1970-05-01' } }, ...resources.map((resource) => ({ resource: { ...resource, subject: { reference: `Patient/${id}` } } }))],
    },
  });
  const condition = (id: string, system: string, code: string, onset: string): Json => ({
    resourceType: 'Condition',
    id,
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    code: { coding: [{ system, code }] },
    onsetDateTime: onset,
  });
  const t2dm = (id: string) => condition(`${id}-t2dm`, 'http://hl7.org/fhir/sid/icd-10-cm', 'E11.9', '2015-03-01');
  const hba1c = (id: string, value: number, daysAgo: number): Json => ({
    resourceType: 'Observation',
    id: `${id}-a1c`,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
    effectiveDateTime: addDays(asOf, -daysAgo),
    valueQuantity: { value, unit: '%', system: 'http://unitsofmeasure.org', code: '%' },
  });
  return [
    patient('kd-candidate', [t2dm('kd-candidate'), hba1c('kd-candidate', 8.1, 30)]),
    patient('kd-no-hba1c', [t2dm('kd-no-hba1c'), hba1c('kd-no-hba1c', 8.1, 200)]),
    patient('kd-type1', [t2dm('kd-type1'), hba1c('kd-type1', 8.1, 30), condition('kd-type1-t1dm', 'http://snomed.info/sct', '46635009', '2001-01-01')]),
    patient('kd-no-diabetes', [hba1c('kd-no-diabetes', 5.2, 30)]),
  ];
}

/**
 * belimumab-iim patients: the shipped examples whose records name their Patient as
 * `Patient/<id>`, as an EHR's searches and an export do (a DM candidate, a rituximab exclusion;
 * potential-candidate-pm.json is a transaction of urn:uuid references, for $screen only).
 */
export function belimumabPatients(): TestPatient[] {
  return ['candidate-dm', 'ineligible-rituximab'].map((name) => {
    const bundle = JSON.parse(readFileSync(join(EXAMPLES, `${name}.json`), 'utf8')) as Json;
    const patient = (bundle['entry'] as { resource: Json }[]).find((e) => e.resource['resourceType'] === 'Patient')!.resource;
    return { name, patientId: String(patient['id']), bundle };
  });
}

/**
 * glp1-ckd patients: the worked candidate (examples/glp1-ckd-candidate.json) and the same record,
 * under other ids, without its type 2 diabetes Condition (the entry criterion, I2, not met).
 */
export function glp1CkdPatients(): TestPatient[] {
  const text = readFileSync(join(EXAMPLES, 'glp1-ckd-candidate.json'), 'utf8');
  const candidate = JSON.parse(text) as Json;
  const noDiabetes = JSON.parse(text.replaceAll('ex-wlos-', 'ex-nodm-')) as Json;
  noDiabetes['entry'] = (noDiabetes['entry'] as { resource: Json }[]).filter((e) => e.resource['id'] !== 'ex-nodm-t2d');
  return [
    { name: 'glp1-ckd-candidate', patientId: 'ex-wlos-pat', bundle: candidate },
    { name: 'glp1-ckd-no-diabetes', patientId: 'ex-nodm-pat', bundle: noDiabetes },
  ];
}

/** Each study these tests screen, with its patients as of `asOf`. */
export function studyPatients(asOf: string): { studyId: string; patients: TestPatient[] }[] {
  return [
    { studyId: 'belimumab-iim', patients: belimumabPatients() },
    { studyId: 'glp1-ckd', patients: glp1CkdPatients() },
    { studyId: 'kit-demo', patients: kitDemoPatients(asOf) },
  ];
}

/**
 * One patient for every study at once: examples/candidate-dm.json (a belimumab-iim candidate,
 * Patient/example-pat) with kit-demo's type 2 diabetes and a recent HbA1c added, so it is also a
 * kit-demo candidate and a glp1-ckd potential candidate (no kidney data).
 */
export function severalStudiesPatient(asOf: string): TestPatient {
  const bundle = JSON.parse(readFileSync(join(EXAMPLES, 'candidate-dm.json'), 'utf8')) as Json;
  const patientId = 'example-pat';
  const diabetes = (kitDemoPatients(asOf)[0]!.bundle['entry'] as { resource: Json }[]).slice(1);
  for (const { resource } of diabetes) {
    (bundle['entry'] as Json[]).push({ resource: { ...resource, id: `several-${String(resource['id'])}`, subject: { reference: `Patient/${patientId}` } } });
  }
  return { name: 'several-studies', patientId, bundle };
}
