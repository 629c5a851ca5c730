// The glp1-ckd population of the synthetic cohort (tools/cohort/t2d-plan.ts, glp1-scenarios.ts):
// about 10 % of adults with type 2 diabetes, a third of those with CKD, with the labs, drugs and
// events the study reads in the units and codes a real export carries; deterministic for a seed;
// and scenarios.ndjson naming, for each boundary scenario, the criterion, its expected result and
// the patient's expected status. (test/criteria/cohort-scenarios.test.ts screens them.)

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCohort } from '../../tools/cohort/generate-cohort.js';
import { expectedStatus, GLP1_BOUNDARY_EVERY, GLP1_BOUNDARY_SCENARIOS } from '../../tools/cohort/glp1-scenarios.js';
import type { GeneratedPatient, Resource } from '../../tools/cohort/resource.js';
import { ckdEpi2021, creatinineAtEdge, creatinineFor } from '../../tools/cohort/t2d-plan.js';
import { typicalT2dCkdPatient } from '../../tools/cohort/typical-t2d-patient.js';
import { writeCohort } from '../../tools/cohort/write-cohort.js';
import { tempDir } from '../batch/helpers.js';

const AS_OF = '2026-10-26';
const tmp = tempDir('glp1-population');
afterAll(() => tmp.remove());

/** The study's criteria in order (fhir-mappings/glp1-ckd/study.yaml). */
const CRITERIA = [
  'inc-age', 'inc-type2-diabetes', 'inc-hba1c', 'inc-kidney-function', 'inc-ras-blockade', 'inc-consent', 'inc-pregnancy-contraception',
  'exc-type1-diabetes', 'exc-other-kidney-disease', 'exc-dialysis-or-transplant', 'exc-glp1-30d', 'exc-recent-cardiovascular-event',
  'exc-heart-failure-nyha-iv', 'exc-malignancy-5y', 'exc-mtc-men2', 'exc-pancreatitis', 'exc-acei-arb-combination',
  'exc-glp1-hypersensitivity', 'exc-retinopathy-or-revascularisation', 'exc-significant-illness',
];
/** Criteria only a person decides, or (consent) that the record can only fail. */
const NO_FAVOURABLE_SIDE = new Set(['inc-consent', 'exc-retinopathy-or-revascularisation', 'exc-significant-illness']);

type Coded = { coding?: { system?: string; code?: string }[] };
const codesOf = (c: unknown): string[] => ((c as Coded | undefined)?.coding ?? []).map((x) => x.code ?? '');

function ageAt(birthDate: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return day.slice(5) < birthDate.slice(5) ? years - 1 : years;
}

function hashOf(patients: Iterable<GeneratedPatient>): string {
  const h = createHash('sha256');
  for (const p of patients) h.update(JSON.stringify(p));
  return h.digest('hex');
}

describe('the type 2 diabetes population in 6,000 patients', () => {
  const patients = [...generateCohort({ patients: 6000, seed: 'glp1-population', asOf: AS_OF })];
  const t2d = patients.filter((p) => p.scenario?.study === 'glp1-ckd');
  const resources = (type: string) => t2d.flatMap((p) => p.resources.filter((r) => r.resourceType === type));
  const hasCondition = (p: GeneratedPatient, test: (code: string) => boolean) =>
    p.resources.some((r) => r.resourceType === 'Condition' && codesOf(r.code).some(test));

  it('gives type 2 diabetes to about 10 % of adults, and to no child', () => {
    const adults = patients.filter((p) => ageAt(String(p.resources[0]!.birthDate), AS_OF) >= 18);
    const share = t2d.length / adults.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.12);
    for (const p of t2d) {
      expect(hasCondition(p, (c) => c.startsWith('E11') || c === '44054006' || c === 'R73.03' || c.startsWith('O24') || c.startsWith('E10')), p.scenario!.name).toBe(true);
    }
    // Outside that population nobody has type 2 diabetes.
    const others = patients.filter((p) => p.scenario?.study !== 'glp1-ckd');
    expect(others.filter((p) => hasCondition(p, (c) => c.startsWith('E11') || c === '44054006'))).toEqual([]);
  });

  it('gives about a third of them CKD (a stage code or diabetic CKD)', () => {
    const ckd = t2d.filter((p) => hasCondition(p, (c) => c.startsWith('N18') || c === 'E11.22' || c === 'E1122'));
    expect(ckd.length / t2d.length).toBeGreaterThan(0.25);
    expect(ckd.length / t2d.length).toBeLessThan(0.42);
  });

  it('records HbA1c mostly in % and some in mmol/mol, creatinine, eGFR and UACR in mg/g and some in mg/mmol', () => {
    // Typical patients only: boundary scenarios write odd units on purpose.
    const typical = t2d.filter((p) => p.scenario!.criterion === undefined).flatMap((p) => p.resources.filter((r) => r.resourceType === 'Observation'));
    const units = new Map<string, Set<string>>();
    for (const o of typical) {
      const q = o.valueQuantity as { code?: string } | undefined;
      for (const code of codesOf(o.code)) {
        if (!units.has(code)) units.set(code, new Set());
        if (q?.code) units.get(code)!.add(q.code);
      }
    }
    const count = (code: string) => typical.filter((o) => codesOf(o.code).includes(code)).length;
    expect(count('4548-4')).toBeGreaterThan(5 * count('59261-8'));
    expect(count('59261-8')).toBeGreaterThan(0);
    expect([...units.get('4548-4')!]).toEqual(['%']);
    expect([...units.get('59261-8')!]).toEqual(['mmol/mol']);
    expect([...units.get('2160-0')!]).toEqual(['mg/dL']);
    expect([...units.get('14682-9')!]).toEqual(['umol/L']);
    expect(count('62238-1') + count('98979-8') + count('33914-3')).toBeGreaterThan(0);
    expect([...units.get('9318-7')!]).toEqual(['mg/g']);
    expect(units.get('32294-1')).toEqual(new Set(['mg/g', 'mg/mmol']));
  });

  it('has realistic HbA1c values, around 7.5 %', () => {
    const hba1c = resources('Observation').filter((o) => codesOf(o.code).includes('4548-4')).map((o) => (o.valueQuantity as { value: number }).value);
    const mean = hba1c.reduce((a, b) => a + b, 0) / hba1c.length;
    expect(mean).toBeGreaterThan(6.8);
    expect(mean).toBeLessThan(8.4);
    expect(Math.min(...hba1c)).toBeGreaterThanOrEqual(5);
    expect(Math.max(...hba1c)).toBeLessThanOrEqual(14);
  });

  it('treats with ACE inhibitors and ARBs, GLP-1 receptor agonists, and records infarctions and strokes', () => {
    const meds = [...resources('MedicationRequest'), ...resources('MedicationStatement')].map((m) => String((m.medicationCodeableConcept as { text?: string }).text));
    const patientsWith = (re: RegExp) => t2d.filter((p) => p.resources.some((r) => /^Medication(Request|Statement)$/.test(r.resourceType) && re.test(String((r.medicationCodeableConcept as { text?: string }).text)))).length;
    expect(meds.some((t) => /lisinopril|ramipril|enalapril/.test(t))).toBe(true);
    expect(meds.some((t) => /losartan|valsartan|irbesartan/.test(t))).toBe(true);
    const ras = patientsWith(/lisinopril|ramipril|enalapril|losartan|valsartan|irbesartan/) / t2d.length;
    expect(ras).toBeGreaterThan(0.4);
    expect(ras).toBeLessThan(0.85);
    const glp1 = patientsWith(/semaglutide|dulaglutide|liraglutide|tirzepatide|exenatide/) / t2d.length;
    expect(glp1).toBeGreaterThan(0.08);
    expect(glp1).toBeLessThan(0.35);
    expect(t2d.filter((p) => hasCondition(p, (c) => c.startsWith('I21') || c === '22298006')).length).toBeGreaterThan(0);
    expect(t2d.filter((p) => hasCondition(p, (c) => c.startsWith('I63') || c.startsWith('I61') || c === '230690007')).length).toBeGreaterThan(0);
  });

  it('is deterministic for a seed, and leaves a study out at rate 0', () => {
    const options = { patients: 300, seed: 'glp1-det', asOf: AS_OF };
    expect(hashOf(generateCohort(options))).toBe(hashOf(generateCohort(options)));
    expect(hashOf(generateCohort({ ...options, seed: 'other' }))).not.toBe(hashOf(generateCohort(options)));
    expect([...generateCohort({ ...options, t2dRate: 0 })].filter((p) => p.scenario?.study === 'glp1-ckd')).toEqual([]);
    expect([...generateCohort({ ...options, myositisRate: 0 })].filter((p) => p.scenario?.study === 'belimumab-iim')).toEqual([]);
    expect([...generateCohort({ ...options, myositisRate: 0, t2dRate: 1 })].every((p) => p.scenario?.study === 'glp1-ckd')).toBe(true);
    expect(() => [...generateCohort({ ...options, t2dRate: 1.5 })]).toThrow();
  });
});

describe('CKD-EPI 2021 as the generator computes it', () => {
  it('matches the equation on both branches of min/max, rounded to one decimal', () => {
    expect(ckdEpi2021(1.0, 61, true)).toBe(64.1);
    expect(ckdEpi2021(1.0, 61, false)).toBe(85.6);
    expect(ckdEpi2021(0.6, 40, true)).toBe(116.3);
  });

  it('inverts it: the creatinine for an eGFR, and the creatinines either side of a band edge', () => {
    for (const [egfr, age, female] of [[40, 60, true], [40, 60, false], [90, 30, true], [12, 70, false]] as const) {
      // Creatinine has two decimals, so the nearest eGFR is within about one unit where the curve is steep.
      expect(Math.abs(ckdEpi2021(creatinineFor(egfr, age, female), age, female) - egfr)).toBeLessThanOrEqual(1);
    }
    expect(ckdEpi2021(creatinineAtEdge(25, 'at-or-above', 62, true), 62, true)).toBeGreaterThanOrEqual(25);
    expect(ckdEpi2021(creatinineAtEdge(25, 'below', 62, true), 62, true)).toBeLessThan(25);
  });
});

describe('scenarios.ndjson for glp1-ckd', () => {
  const dir = join(tmp.dir, 'boundary');
  const summary = writeCohort({ patients: GLP1_BOUNDARY_SCENARIOS.length * GLP1_BOUNDARY_EVERY, seed: 'glp1-scenarios', asOf: AS_OF, myositisRate: 0, t2dRate: 1 }, dir);
  const rows = readFileSync(join(dir, 'scenarios.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const patientIds = new Set(readFileSync(join(dir, 'Patient.ndjson'), 'utf8').trimEnd().split('\n').map((l) => `Patient/${String((JSON.parse(l) as Resource).id)}`));

  it('lists every T2D patient once, with its study and scenario', () => {
    expect(rows).toHaveLength(summary.t2dPatients);
    expect(summary.t2dPatients).toBe(summary.patients);
    expect(new Set(rows.map((r) => r.patient)).size).toBe(rows.length);
    for (const r of rows) {
      expect(patientIds.has(String(r.patient))).toBe(true);
      expect(r.study).toBe('glp1-ckd');
      expect(typeof r.scenario).toBe('string');
    }
  });

  it('names, for each boundary scenario, a criterion of the study, its result, whether an unknown is manual, and the status', () => {
    const boundary = rows.filter((r) => r.criterion !== undefined);
    expect(new Set(boundary.map((r) => r.scenario))).toEqual(new Set(GLP1_BOUNDARY_SCENARIOS.map((s) => s.name)));
    for (const r of boundary) {
      expect(CRITERIA, String(r.scenario)).toContain(r.criterion);
      expect(['met', 'not-met', 'unknown']).toContain(r.expect);
      expect(typeof r.manual === 'boolean', String(r.scenario)).toBe(r.expect === 'unknown');
      const failing = String(r.criterion).startsWith('inc-') ? r.expect === 'not-met' : r.expect === 'met';
      const status = failing ? 'ineligible' : r.expect === 'unknown' && !r.manual ? 'potential-candidate' : 'candidate';
      expect(r.status, String(r.scenario)).toBe(status);
    }
    for (const r of rows.filter((x) => x.criterion === undefined)) {
      expect(r.expect).toBeUndefined();
      expect(r.status).toBeUndefined();
    }
  });

  it('puts boundary scenarios on both sides of every criterion a record can decide', () => {
    for (const id of CRITERIA.filter((c) => !NO_FAVOURABLE_SIDE.has(c))) {
      const results = GLP1_BOUNDARY_SCENARIOS.filter((s) => s.criterion === id).map((s) => expectedStatus(s));
      expect(results, id).toContain('ineligible');
      expect(results.some((s) => s !== 'ineligible'), id).toBe(true);
    }
  });
});

describe('the benchmark T2D/CKD patient', () => {
  it('typicalT2dCkdPatient gives a deterministic Bundle of about 300 resources with kidney labs, a RAS blocker and T2D', () => {
    const a = typicalT2dCkdPatient(1);
    expect(JSON.stringify(typicalT2dCkdPatient(1))).toBe(JSON.stringify(a));
    expect(JSON.stringify(typicalT2dCkdPatient(2))).not.toBe(JSON.stringify(a));
    expect(a.entry.length).toBeGreaterThanOrEqual(270);
    expect(a.entry.length).toBeLessThanOrEqual(340);
    const codes = a.entry.flatMap((e) => [...codesOf(e.resource.code), ...codesOf(e.resource.medicationCodeableConcept)]);
    expect(codes.some((c) => c === '44054006' || c.startsWith('E11'))).toBe(true);
    expect(codes).toContain('9318-7');
    expect(codes.some((c) => c === '2160-0' || c === '14682-9')).toBe(true);
  });
});
