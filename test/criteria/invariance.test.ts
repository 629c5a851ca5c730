// Results are invariant to entry order and to the Bundle type (issue 3), for every study (issue
// 15): each study's patients are screened as given, then with their entries shuffled (seeded)
// and sent as a searchset and a transaction; every criterion must answer the same (result,
// manual, clearsOn, evidence as a set, missing data). belimumab-iim: the dm-candidate example and
// synthetic myositis patients (every boundary scenario among them); glp1-ckd: its worked patient
// and variants of it (data missing, ineligible, a person's review); kit-demo (a kit-rules-only
// test study, test/fixtures/kit-studies/): one patient per outcome of its rules.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { toBundle } from '../../tools/cohort/bundle.js';
import { generateCohort } from '../../tools/cohort/generate-cohort.js';
import { BOUNDARY_SCENARIOS } from '../../tools/cohort/myositis-scenarios.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import type { ScreeningStudy } from '../../src/screening/study-registry.js';
import { kitDemoPatients, twoStudies } from '../helpers/two-studies.js';

const AS_OF = '2026-10-26';
const mappings = await twoStudies();
mappings.remove();

type Entry = { fullUrl?: string; resource: { resourceType: string; id?: string } };
type Bundle = { resourceType: 'Bundle'; type: string; entry: Entry[] };

/** A small deterministic PRNG (mulberry32) so a failing order can be replayed. */
function shuffled<T>(items: T[], seed: number): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function variant(bundle: Bundle, type: string, seed: number): Bundle {
  const entries = shuffled(structuredClone(bundle.entry), seed).map((e) => {
    if (type === 'searchset') return { ...e, search: { mode: 'match' } };
    if (type === 'transaction') return { ...e, request: { method: 'PUT', url: `${e.resource.resourceType}/${e.resource.id}` } };
    return e;
  });
  return { resourceType: 'Bundle', type, entry: entries };
}

function fingerprint(study: ScreeningStudy, bundle: Bundle) {
  const ev = screenPatient(study, buildPatientRecord(structuredClone(bundle)), AS_OF);
  return {
    status: ev.status,
    eligibleFrom: ev.eligibleFrom ?? null,
    criteria: ev.criteria.map((c) => ({
      id: c.id,
      result: c.result,
      manual: c.manual,
      clearsOn: c.clearsOn ?? null,
      evidence: [...c.evidence].sort(),
      missingData: c.missingData.map((m) => `${m.text} | ${m.query ?? ''}`).sort(),
    })),
  };
}

const dmCandidate = JSON.parse(readFileSync('test/fixtures/dm-candidate.json', 'utf8')) as Bundle;
const cohort = [...generateCohort({ patients: 2 * BOUNDARY_SCENARIOS.length, seed: 'invariance', asOf: AS_OF, myositisRate: 1 })].map(
  (p) => ({ name: p.scenario?.name ?? p.patientId, bundle: toBundle(p.patientId, p.resources) as unknown as Bundle }),
);
const glp1 = (JSON.parse(readFileSync('test/fixtures/shared/glp1-ckd-candidate.json', 'utf8')) as { bundle: Bundle }).bundle;
const without = (id: string): Bundle => ({ ...glp1, entry: glp1.entry.filter((e) => e.resource.id !== id) });
const plus = (...resources: Record<string, unknown>[]): Bundle => ({
  ...glp1,
  entry: [...glp1.entry, ...resources.map((r) => ({ resource: { subject: { reference: 'Patient/ex-wlos-pat' }, ...r } as unknown as Entry['resource'] }))],
});
const GLP1_CASES = [
  { name: 'glp1-ckd-candidate', bundle: glp1 },
  { name: 'no UACR (potential candidate)', bundle: without('ex-wlos-uacr') },
  {
    name: 'semaglutide ongoing (ineligible)',
    bundle: plus({ resourceType: 'MedicationStatement', id: 'sema', status: 'active', medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '1991302' }] }, effectivePeriod: { start: '2026-05-01' } }),
  },
  {
    name: 'type 1 and type 2 recorded, creatinine instead of eGFR',
    bundle: plus(
      { resourceType: 'Condition', id: 't1', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E10.9' }] } },
      { resourceType: 'Observation', id: 'cr', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2160-0' }] }, effectiveDateTime: '2026-09-01', valueQuantity: { value: 1.2, system: 'http://unitsofmeasure.org', code: 'mg/dL' } },
    ),
  },
];
const STUDIES = [
  { studyId: 'belimumab-iim', cases: [{ name: 'dm-candidate', bundle: dmCandidate }, ...cohort] },
  { studyId: 'glp1-ckd', cases: GLP1_CASES },
  { studyId: 'kit-demo', cases: kitDemoPatients(AS_OF).map((p) => ({ name: p.name, bundle: p.bundle as Bundle })) },
];

it('the belimumab-iim cohort sample holds every boundary scenario', () => {
  expect(new Set(cohort.map((c) => c.name))).toEqual(new Set([...BOUNDARY_SCENARIOS.map((s) => s.name), ...cohort.filter((c) => c.name.startsWith('typical')).map((c) => c.name)]));
});

it('covers every study the tests load, and each study\'s cases give more than one status', () => {
  expect(STUDIES.map((s) => s.studyId), 'every study needs cases here').toEqual([...mappings.studies.keys()]);
  for (const { studyId, cases } of STUDIES) {
    const study = mappings.studies.get(studyId)!;
    expect(new Set(cases.map((c) => fingerprint(study, c.bundle).status)).size, studyId).toBeGreaterThan(1);
  }
});

describe.each(STUDIES)('$studyId: results are invariant to entry order and Bundle type', ({ studyId, cases }) => {
  const study = mappings.studies.get(studyId)!;
  it.each(cases.map((c, i) => [c.name, i] as const))('%s (#%i)', (_name, i) => {
    const { bundle } = cases[i]!;
    const base = fingerprint(study, bundle);
    for (const [k, type] of ['collection', 'searchset', 'transaction'].entries()) {
      expect(fingerprint(study, variant(bundle, type, 1000 * i + k + 1)), type).toEqual(base);
    }
    // Reversed order, the harshest for "later record wins" tie-breaks.
    expect(fingerprint(study, { ...bundle, entry: [...bundle.entry].reverse() })).toEqual(base);
  });
});
