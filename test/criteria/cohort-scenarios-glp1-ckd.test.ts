// The synthetic cohort's glp1-ckd boundary scenarios (tools/cohort/glp1-scenarios.ts) against the
// study (fhir-mappings/glp1-ckd): each scenario patient is screened through screenPatient(), and
// the scenario's criterion must give the scenario's `expect` (manual or not, for an unknown) and
// the patient the scenario's status. The generator makes every tenth T2D patient a boundary
// scenario and cycles GLP1_BOUNDARY_SCENARIOS in order, so with every patient a T2D one
// (t2dRate 1, no myositis), GLP1_BOUNDARY_EVERY × |GLP1_BOUNDARY_SCENARIOS| patients hold each once.

import { describe, expect, it } from 'vitest';
import { toBundle } from '../../tools/cohort/bundle.js';
import { generateCohort } from '../../tools/cohort/generate-cohort.js';
import { GLP1_BOUNDARY_EVERY, GLP1_BOUNDARY_SCENARIOS } from '../../tools/cohort/glp1-scenarios.js';
import { typicalT2dCkdPatient } from '../../tools/cohort/typical-t2d-patient.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';

const AS_OF = '2026-10-26';
const study = (await loadStudies('fhir-mappings')).get('glp1-ckd')!;
const boundary = [
  ...generateCohort({ patients: GLP1_BOUNDARY_EVERY * GLP1_BOUNDARY_SCENARIOS.length, seed: 'glp1-criteria-scenarios', asOf: AS_OF, myositisRate: 0, t2dRate: 1 }),
].filter((p) => p.scenario?.criterion !== undefined);

describe('glp1-ckd cohort boundary scenarios', () => {
  it('the cohort holds every boundary scenario once', () => {
    expect(boundary.map((p) => p.scenario!.name).sort()).toEqual(GLP1_BOUNDARY_SCENARIOS.map((s) => s.name).sort());
  });

  for (const p of boundary) {
    const s = p.scenario!;
    it(`${s.name}: ${s.criterion} is ${s.expect}${s.expect === 'unknown' ? (s.manual ? ' (manual)' : ' (not manual)') : ''}, the patient ${s.status}`, () => {
      const evaluation = screenPatient(study, buildPatientRecord(toBundle(p.patientId, p.resources)), AS_OF);
      const out = evaluation.criteria.find((c) => c.id === s.criterion)!;
      const detail = `${s.name}\n${JSON.stringify(out, null, 1)}`;
      expect(out.result, detail).toBe(s.expect);
      if (s.expect === 'unknown') expect(out.manual === true, detail).toBe(s.manual);
      const failing = evaluation.criteria.filter((c) => c.result !== (c.id.startsWith('inc-') ? 'met' : 'not-met')).map((c) => `${c.id}: ${c.result}${c.manual ? ' (manual)' : ''}`);
      expect(evaluation.status, `${s.name}\n${failing.join('\n')}`).toBe(s.status);
    });
  }

  it('the benchmark T2D/CKD patient is a candidate', () => {
    const evaluation = screenPatient(study, buildPatientRecord(typicalT2dCkdPatient(1, AS_OF)), AS_OF);
    expect(evaluation.status).toBe('candidate');
  });
});
