// The synthetic cohort's boundary scenarios (tools/cohort/myositis-scenarios.ts) against the criteria: a
// small cohort is written to a temp dir with the library (writeCohort, bundles on), each scenario
// patient is screened through screenPatient(), and the scenario's criterion must give the
// scenario's `expect`. The generator makes every other myositis patient a boundary scenario and
// cycles BOUNDARY_SCENARIOS in order, so with every patient a myositis one (myositisRate 1),
// 2 × |BOUNDARY_SCENARIOS| patients hold every scenario at least once.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BOUNDARY_SCENARIOS } from '../../tools/cohort/myositis-scenarios.js';
import { writeCohort } from '../../tools/cohort/write-cohort.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';

const AS_OF = '2026-10-26';
const dir = mkdtempSync(join(tmpdir(), 'cohort-scenarios-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeCohort({ patients: 2 * BOUNDARY_SCENARIOS.length, seed: 'criteria-scenarios', asOf: AS_OF, myositisRate: 1, bundles: true }, dir);
const study = (await loadStudies('fhir-mappings')).get('belimumab-iim')!;
interface Row {
  patient: string;
  scenario: string;
  criterion?: string;
  expect?: 'met' | 'not-met' | 'unknown';
}
const rows = readFileSync(join(dir, 'scenarios.ndjson'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Row);
const boundary = rows.filter((r) => r.criterion && r.expect);

describe('cohort boundary scenarios', () => {
  it('the cohort holds every boundary scenario at least once', () => {
    expect(new Set(boundary.map((r) => r.scenario))).toEqual(new Set(BOUNDARY_SCENARIOS.map((s) => s.name)));
  });

  const seen = new Set<string>();
  for (const row of boundary) {
    if (seen.has(row.scenario)) continue;
    seen.add(row.scenario);
    it(`${row.scenario}: ${row.criterion} is ${row.expect}`, () => {
      const id = row.patient.replace(/^Patient\//, '');
      const bundle = JSON.parse(readFileSync(join(dir, 'bundles', `${id}.json`), 'utf8')) as unknown;
      const evaluation = screenPatient(study, buildPatientRecord(bundle), AS_OF);
      const out = evaluation.criteria.find((c) => c.id === row.criterion)!;
      expect(out.result, `${row.scenario}\n${JSON.stringify(out, null, 1)}`).toBe(row.expect);
    });
  }
});
