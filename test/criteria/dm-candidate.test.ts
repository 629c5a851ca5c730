// The shared dm-candidate example (a 58-year-old woman with anti-Mi-2 positive DM, screened on
// 2026-10-26) through the real ingest, mapping and all 30 criteria via screenPatient(), held to
// the example's own `expected` (test/fixtures/shared/dm-candidate.json, a verbatim copy).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CRITERIA } from '../../src/criteria/belimumab-iim/index.js';
import { NOT_EVALUATED_REASON } from '../../src/criteria/common/not-evaluated.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { DM_CANDIDATE_EXPECTED as EXPECTED } from '../fixtures/dm-candidate-expected.js';

const AS_OF = '2026-10-26';
const MANUAL = new Set(['inc-consent', 'exc-investigational-biologic-365d', 'exc-investigational-agent-30d', 'exc-suicide-risk', 'exc-significant-illness']);
const SHARED = 'test/fixtures/shared/dm-candidate.json';

const study = (await loadStudies('fhir-mappings')).get('belimumab-iim')!;

describe('dm-candidate example', () => {
  const bundle = JSON.parse(readFileSync('test/fixtures/dm-candidate.json', 'utf8')) as unknown;
  const evaluation = screenPatient(study, buildPatientRecord(structuredClone(bundle)), AS_OF);
  const results = new Map(evaluation.criteria.map((c) => [c.id, c]));

  it('covers all 30 criteria in registry order', () => {
    expect(Object.keys(EXPECTED)).toHaveLength(30);
    expect(evaluation.criteria.map((c) => c.id)).toEqual(CRITERIA.map((c) => c.id));
  });

  it.each(Object.entries(EXPECTED))('%s is %s', (id, result) => {
    const out = results.get(id)!;
    expect(out.result, JSON.stringify(out)).toBe(result);
    expect(out.manual).toBe(MANUAL.has(id));
    expect(out.reason).not.toBe(NOT_EVALUATED_REASON);
  });

  it('is a candidate (every unknown is manual), with no eligibleFrom', () => {
    expect(evaluation.status).toBe('candidate');
    expect(evaluation.eligibleFrom).toBeUndefined();
  });

  it('cites the deciding resources', () => {
    expect(results.get('inc-age')!.evidence).toEqual(['Patient/example-pat']);
    expect(results.get('inc-diagnosis')!.evidence).toEqual(['Condition/example-dx']);
    expect(results.get('inc-autoantibody')!.evidence).toEqual(['Observation/example-mi2']);
    expect(results.get('exc-immunoglobulin-deficiency')!.evidence).toEqual(['Observation/example-igg', 'Observation/example-iga']);
    expect(results.get('exc-hepatitis-b-c')!.evidence).toEqual(['Observation/example-hbsag', 'Observation/example-hbcab', 'Observation/example-hcvab']);
    expect(results.get('inc-stable-glucocorticoid')!.evidence).toEqual(['MedicationStatement/example-pred1', 'MedicationStatement/example-pred2']);
    expect(results.get('inc-stable-glucocorticoid')!.reason).toContain('10 mg/day');
    expect(results.get('inc-stable-glucocorticoid')!.reason).toContain('since 2026-04-20');
    expect(results.get('exc-muscle-damage')!.evidence).toEqual(['Observation/example-mdi']);
    expect(results.get('exc-liver-labs')!.evidence).toEqual(['Observation/example-ggt', 'Observation/example-bili', 'Observation/example-inr']);
  });

  it('matches the shared example', () => {
    const shared = JSON.parse(readFileSync(SHARED, 'utf8')) as { asOf: string; bundle: unknown; expected: { status: string; criteria: Record<string, string>; manual: Record<string, boolean> } };
    expect(shared.asOf).toBe(AS_OF);
    expect(shared.bundle).toEqual(bundle);
    expect(shared.expected.status).toBe(evaluation.status);
    expect(shared.expected.criteria).toEqual(EXPECTED);
    expect(new Set(Object.keys(shared.expected.manual).filter((k) => shared.expected.manual[k]))).toEqual(MANUAL);
  });
});
