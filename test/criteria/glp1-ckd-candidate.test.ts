// The worked patient of the second study (glp1-ckd): a woman of 61 with type 2 diabetes and CKD
// in the upper band on losartan, screened on its asOf through the real ingest, mapping and the
// kit rules of fhir-mappings/glp1-ckd/study.yaml, and over HTTP through $screen. Every criterion
// is held to the example's expected result (test/fixtures/shared/glp1-ckd-candidate.json, a
// verbatim copy of the specification's example).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { build } from '../helpers/build-app.js';
import { criterionResults, screen, type Json } from '../http/fixtures.js';

interface Example {
  asOf: string;
  study: string;
  bundle: unknown;
  expected: { status: string; criteria: Record<string, 'met' | 'not-met' | 'unknown'> };
}

const FIXTURE = 'test/fixtures/shared/glp1-ckd-candidate.json';
const example = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Example;
const EXPECTED = example.expected.criteria;

const study = (await loadStudies('fhir-mappings')).get('glp1-ckd')!;

describe('glp1-ckd-candidate example', () => {
  const evaluation = screenPatient(study, buildPatientRecord(structuredClone(example.bundle)), example.asOf);
  const results = new Map(evaluation.criteria.map((c) => [c.id, c]));

  it('covers the 20 criteria in study.yaml order', () => {
    expect(example.study).toBe('glp1-ckd');
    expect(Object.keys(EXPECTED)).toHaveLength(20);
    expect(evaluation.criteria.map((c) => c.id)).toEqual(Object.keys(EXPECTED));
  });

  it.each(Object.entries(EXPECTED))('%s is %s', (id, result) => {
    const out = results.get(id)!;
    expect(out.result, JSON.stringify(out)).toBe(result);
    // Every unknown of this patient is for a person: consent and the investigator's judgement.
    expect(out.manual).toBe(result === 'unknown');
  });

  it('is a candidate, deciding on the records a coordinator would check', () => {
    expect(evaluation.status).toBe(example.expected.status);
    expect(results.get('inc-kidney-function')!.evidence).toEqual(['Observation/ex-wlos-egfr', 'Observation/ex-wlos-uacr']);
    expect(results.get('inc-ras-blockade')!.evidence).toEqual(['MedicationRequest/ex-wlos-ras']);
    expect(results.get('inc-ras-blockade')!.reason).toContain('begun on or before 2026-09-13');
    expect(results.get('inc-hba1c')!.evidence).toEqual(['Observation/ex-wlos-hba1c']);
  });

  it('screens the same over HTTP on /ResearchStudy/glp1-ckd/$screen', async () => {
    const { app } = await build();
    const response = await screen(app, example.bundle, { asOf: example.asOf, url: '/ResearchStudy/glp1-ckd/$screen' });
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    expect(subject.status).toBe('candidate');
    const got = Object.fromEntries(Object.entries(criterionResults(subject)).map(([id, r]) => [id, r.result]));
    expect(got).toEqual(EXPECTED);
  });

  it('examples/glp1-ckd-candidate.json is the same patient, ready to POST', () => {
    expect(JSON.parse(readFileSync('examples/glp1-ckd-candidate.json', 'utf8'))).toEqual(example.bundle);
  });
});
