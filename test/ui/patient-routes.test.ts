// The worklist page's cross-study routes over real HTTP (the app listening on a loopback port,
// storage as build() opens it: PostgreSQL when TEST_DATABASE_URL is set, else PGlite), with the
// shipped studies and kit-demo served at once: patients who are candidates in several studies
// (paged, each study's result and latest decision), one patient's results side by side, and
// decisions that stay with their study.

import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { kitDemoPatients, severalStudiesPatient, twoStudies, type Json, type TestPatient } from '../helpers/two-studies.js';

const AS_OF = '2026-10-26';
const STUDIES = ['belimumab-iim', 'glp1-ckd', 'kit-demo'];

async function served() {
  const mappings = await twoStudies();
  const built = await build({ studies: mappings.studies, env: { MAPPINGS_DIR: mappings.dir } });
  mappings.remove();
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const get = async (path: string) => {
    const response = await fetch(`${address}${path}`, { headers: { accept: 'application/json' } });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Json };
  };
  const post = async (path: string, body: unknown, type = 'application/json') => {
    const response = await fetch(`${address}${path}`, { method: 'POST', headers: { 'content-type': type }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const screen = async (study: string, patient: TestPatient): Promise<Json> => {
    const answer = await post(`/ResearchStudy/${study}/$screen?asOf=${AS_OF}`, patient.bundle, 'application/fhir+json');
    expect(answer.status, `${patient.name} in ${study}`).toBe(200);
    return answer.body;
  };
  return { ...built, get, post, screen };
}

/** Patient/example-pat in all three studies; kit-demo's own patients in kit-demo only. */
async function seeded() {
  const app = await served();
  const several = severalStudiesPatient(AS_OF);
  const subjects = new Map<string, Json>();
  for (const study of STUDIES) subjects.set(study, await app.screen(study, several));
  for (const patient of kitDemoPatients(AS_OF)) await app.screen('kit-demo', patient);
  return { ...app, subjects };
}

const statusesOf = (entry: Json): string[] => entry.subjects.map((s: Json) => `${s.study.reference}:${s.status}`);

describe('patients in several studies', () => {
  it('lists the patient who is a candidate or potential candidate in two or more studies, with every study side by side', async () => {
    const { get, subjects } = await seeded();
    expect([...subjects.values()].map((s) => s.status)).toEqual(['candidate', 'potential-candidate', 'candidate']);
    // kit-demo's own candidate (kd-candidate) is a candidate in one study only: not listed.
    const answer = await get('/app/api/patients/several-studies');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.body).toMatchObject({ total: 1, count: 20, offset: 0 });
    expect(answer.body.patients.map((p: Json) => p.patient)).toEqual(['Patient/example-pat']);
    expect(statusesOf(answer.body.patients[0])).toEqual([
      'ResearchStudy/belimumab-iim:candidate',
      'ResearchStudy/glp1-ckd:potential-candidate',
      'ResearchStudy/kit-demo:candidate',
    ]);
    // The stored resources themselves, as GET /ResearchSubject/{id} reads them.
    const read = await get(`/ResearchSubject/${subjects.get('kit-demo')!.id}`);
    expect(answer.body.patients[0].subjects[2]).toEqual(read.body);
    expect(answer.body.patients[0].decisions).toEqual([]);
  });

  it('with a study: only patients for whom it is one of the studies; an unknown study is a 404 naming the studies', async () => {
    const { get, screen } = await seeded();
    // kd-no-hba1c becomes a potential candidate in kit-demo and glp1-ckd too: two patients now.
    const second = kitDemoPatients(AS_OF)[1]!;
    expect((await screen('glp1-ckd', second)).status).not.toBe('ineligible');
    expect((await get('/app/api/patients/several-studies?study=belimumab-iim')).body.patients.map((p: Json) => p.patient)).toEqual(['Patient/example-pat']);
    expect((await get('/app/api/patients/several-studies?study=kit-demo')).body.total).toBe(2);
    const unknown = await get('/app/api/patients/several-studies?study=no-such-study');
    expect(unknown.status).toBe(404);
    expect(unknown.body.resourceType).toBe('OperationOutcome');
    expect(unknown.body.issue[0].diagnostics ?? unknown.body.issue[0].details.text).toBeDefined();
    expect(JSON.stringify(unknown.body)).toContain('kit-demo');
  });

  it('pages by patient: next and previous offsets, a capped _count, and bad paging is a 400', async () => {
    const { get, screen } = await seeded();
    await screen('glp1-ckd', kitDemoPatients(AS_OF)[1]!);
    const first = await get('/app/api/patients/several-studies?_count=1');
    expect(first.body).toMatchObject({ total: 2, count: 1, offset: 0, next: 1 });
    expect(first.body.previous).toBeUndefined();
    // Newest first: kd-no-hba1c was screened last.
    expect(first.body.patients.map((p: Json) => p.patient)).toEqual(['Patient/kd-no-hba1c']);
    const second = await get('/app/api/patients/several-studies?_count=1&_offset=1');
    expect(second.body).toMatchObject({ total: 2, offset: 1, previous: 0 });
    expect(second.body.next).toBeUndefined();
    expect(second.body.patients.map((p: Json) => p.patient)).toEqual(['Patient/example-pat']);
    expect((await get('/app/api/patients/several-studies?_count=1000')).body.count).toBe(100);
    expect((await get('/app/api/patients/several-studies?_offset=5')).body).toMatchObject({ total: 2, patients: [] });
    for (const bad of ['_count=-1', '_count=many', '_offset=-3', '_offset=1.5']) {
      const answer = await get(`/app/api/patients/several-studies?${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.resourceType).toBe('OperationOutcome');
    }
  });

  it('keeps decisions per study: deciding on one study changes nothing in another', async () => {
    const { get, post, subjects } = await seeded();
    const belimumab = subjects.get('belimumab-iim')!.id;
    const kitDemo = subjects.get('kit-demo')!.id;
    const recorded = await post(`/app/api/subjects/${belimumab}/decisions`, { decision: 'screen-failed', criterion: 'exc-suicide-risk', note: 'Seen in clinic' });
    expect(recorded.status).toBe(201);
    // A criterion of another study is not a criterion of this one.
    expect((await post(`/app/api/subjects/${kitDemo}/decisions`, { decision: 'screen-failed', criterion: 'exc-suicide-risk' })).status).toBe(400);
    expect((await post(`/app/api/subjects/${kitDemo}/decisions`, { decision: 'contacted' })).status).toBe(201);

    const answer = await get('/app/api/patients/several-studies');
    const decisions = answer.body.patients[0].decisions as Json[];
    expect(decisions.map((d) => `${d.studyId}:${d.decision}`).sort()).toEqual(['belimumab-iim:screen-failed', 'kit-demo:contacted']);
    expect((await get(`/app/api/subjects/${belimumab}/decisions`)).body.decisions.map((d: Json) => d.decision)).toEqual(['screen-failed']);
    expect((await get(`/app/api/subjects/${kitDemo}/decisions`)).body.decisions.map((d: Json) => d.decision)).toEqual(['contacted']);
    expect((await get(`/app/api/subjects/${subjects.get('glp1-ckd')!.id}/decisions`)).body.decisions).toEqual([]);
    // A screen-failure on belimumab-iim does not move the patient off the other studies' lists.
    expect((await get('/app/api/patients/several-studies?study=kit-demo')).body.total).toBe(1);
  });
});

describe("one patient's results", () => {
  it('returns every study result for the patient, in the service study order; Patient/<id> or <id>', async () => {
    const { get, subjects } = await seeded();
    for (const patient of ['Patient/example-pat', 'example-pat', 'Patient%2Fexample-pat']) {
      const answer = await get(`/app/api/patients/results?patient=${patient}`);
      expect(answer.status, patient).toBe(200);
      expect(answer.body.patient).toBe('Patient/example-pat');
      expect(answer.body.subjects.map((s: Json) => s.id)).toEqual(STUDIES.map((s) => subjects.get(s)!.id));
    }
    const one = await get('/app/api/patients/results?patient=kd-type1');
    expect(one.body.subjects.map((s: Json) => `${s.study.reference}:${s.status}`)).toEqual(['ResearchStudy/kit-demo:ineligible']);
    expect((await get('/app/api/patients/results?patient=nobody')).body).toEqual({ patient: 'Patient/nobody', subjects: [] });
  });

  it('refuses a patient that is not a patient reference', async () => {
    const { get } = await seeded();
    for (const bad of ['', 'Observation/x', 'Patient/a/b', 'Patient/..%2F..', '%3Cscript%3E', 'x'.repeat(65)]) {
      const answer = await get(`/app/api/patients/results?patient=${bad}`);
      expect(answer.status, bad).toBe(400);
      expect(answer.body.resourceType).toBe('OperationOutcome');
      expect(JSON.stringify(answer.body)).not.toContain('<script>');
    }
    expect((await get('/app/api/patients/results')).status).toBe(400);
  });

  it('lists every study in the page settings', async () => {
    const { get } = await seeded();
    expect((await get('/app/api/config')).body.studies.map((s: Json) => s.id)).toEqual(STUDIES);
  });
});
