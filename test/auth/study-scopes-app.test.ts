// Per-study access beyond the FHIR search (issue 16 §5): the worklist page's JSON API
// (settings, run reports, decisions), the CDS services (trials-prescreen too) and their
// feedback summaries, and the AuditEvent search, for API keys and bearer JWTs limited to glp1-ckd.

import { beforeAll, describe, expect, it } from 'vitest';
import { makeKey, type TestKey } from '../helpers/cds-jwt.js';
import { bothStudies, DM_PATIENT, sampleCall, type DiscoveredService } from '../cds-hooks/trials-setup.js';
import type { Json } from '../http/fixtures.js';
import { AS_OF, BELIMUMAB, expectForbidden, GLP1, GLP1_SCOPES, seeded, type Seeded } from './study-seed.js';

let key: TestKey;
beforeAll(async () => {
  key = await makeKey('ES384');
});

const TRIALS = 'trials-prescreen';
const json = (s: Seeded, url: string, credential: string, body: unknown) => s.post(url, credential, body, 'application/json');

describe('the worklist page with study-limited scopes', () => {
  it('lists only the caller\'s studies in its settings and reports on them only', async () => {
    const s = await seeded(key);
    for (const study of [BELIMUMAB, GLP1]) {
      const run = await s.storage.runs.createRun({ studyId: study, asOf: AS_OF, source: 'test', criteriaVersion: 'v' });
      await s.storage.runs.finishRun(run.id, 'complete', { population: 10, notScreened: 0, funnel: [] });
    }
    // The page shell holds no data and stays public.
    expect((await s.app.inject({ method: 'GET', url: '/app' })).statusCode).toBe(200);
    for (const credential of [s.keys.get('glp1')!, s.keys.get('glp1-reader')!, await s.token(GLP1_SCOPES)]) {
      const config = await s.get('/app/api/config', credential);
      expect(config.statusCode).toBe(200);
      expect((config.json().studies as Json[]).map((x) => x.id)).toEqual([GLP1]);
      const runs = await s.get(`/app/api/studies/${GLP1}/runs`, credential);
      expect(runs.statusCode).toBe(200);
      expect(runs.json().runs).toHaveLength(1);
      expect((await s.get(`/app/api/studies/${GLP1}/criterion-summary`, credential)).statusCode).toBe(200);
      expectForbidden(await s.get(`/app/api/studies/${BELIMUMAB}/runs`, credential));
      expectForbidden(await s.get(`/app/api/studies/${BELIMUMAB}/criterion-summary`, credential));
      expectForbidden(await s.get('/app/api/studies/no-such-study/runs', credential));
    }
    const admin = await s.get('/app/api/config', s.keys.get('admin')!);
    expect((admin.json().studies as Json[]).map((x) => x.id).sort()).toEqual([BELIMUMAB, GLP1]);
    expect((await s.get('/app/api/studies/no-such-study/runs', s.keys.get('admin')!)).statusCode).toBe(404);
    // Nothing for a caller whose only scope is malformed, not even the settings.
    expectForbidden(await s.get('/app/api/config', s.keys.get('malformed')!));
    expect((await s.get('/app/api/config', s.keys.get('ghost')!)).json().studies).toEqual([]);
  });

  it('shows a patient across studies, and the candidates of several trials, only in the caller\'s studies', async () => {
    const s = await seeded(key);
    // example-pat: a belimumab-iim candidate from the seed, now a glp1-ckd candidate too.
    expect((await s.post(`/ResearchStudy/${GLP1}/$screen`, s.keys.get('admin')!, bothStudies())).statusCode).toBe(200);
    const studiesOf = (subjects: Json[]) => subjects.map((x) => x.study.reference.replace('ResearchStudy/', ''));
    const results = `/app/api/patients/results?patient=Patient/${DM_PATIENT}`;
    expect(studiesOf((await s.get(results, s.keys.get('admin')!)).json().subjects)).toEqual([BELIMUMAB, GLP1]);
    const several = '/app/api/patients/several-studies';
    const all = (await s.get(several, s.keys.get('admin')!)).json();
    expect(all.total).toBe(1);
    expect(studiesOf(all.patients[0].subjects)).toEqual([BELIMUMAB, GLP1]);
    expect((await s.get(several, s.keys.get('both-or')!)).json().total).toBe(1);
    for (const credential of [s.keys.get('glp1')!, await s.token(GLP1_SCOPES)]) {
      expect(studiesOf((await s.get(results, credential)).json().subjects)).toEqual([GLP1]);
      // One study seen: nobody is a candidate in several of the caller's.
      const mine = (await s.get(several, credential)).json();
      expect(mine.total).toBe(0);
      expect(mine.patients).toEqual([]);
      expectForbidden(await s.get(`${several}?study=${BELIMUMAB}`, credential));
    }
  });

  it('records and shows decisions on the caller\'s studies only (write to record, read to see)', async () => {
    const s = await seeded(key);
    const glp1Id = s.subjects.get(GLP1)!.get('Patient/ex-wlos-pat')!;
    const belimumabId = s.subjects.get(BELIMUMAB)!.get('Patient/example-pat')!;
    const contacted = { decision: 'contacted', note: 'left a message' };
    expect((await json(s, `/app/api/subjects/${belimumabId}/decisions`, s.keys.get('admin')!, contacted)).statusCode).toBe(201);
    for (const credential of [s.keys.get('glp1')!, await s.token(GLP1_SCOPES)]) {
      expect((await json(s, `/app/api/subjects/${glp1Id}/decisions`, credential, contacted)).statusCode).toBe(201);
      const refused = await json(s, `/app/api/subjects/${belimumabId}/decisions`, credential, contacted);
      expectForbidden(refused);
      expect((await json(s, `/app/api/subjects/${'0'.repeat(40)}/decisions`, credential, contacted)).statusCode).toBe(404);
      expect((await s.get(`/app/api/subjects/${glp1Id}/decisions`, credential)).statusCode).toBe(200);
      expectForbidden(await s.get(`/app/api/subjects/${belimumabId}/decisions`, credential));
      const latest = await s.get(`/app/api/decisions?subject=${belimumabId},${glp1Id}`, credential);
      expect(latest.statusCode).toBe(200);
      expect((latest.json().decisions as Json[]).map((d) => d.studyId)).toEqual([GLP1]);
    }
    // Read on the study is not write.
    expectForbidden(await json(s, `/app/api/subjects/${glp1Id}/decisions`, s.keys.get('glp1-reader')!, contacted));
    expect((await s.get(`/app/api/subjects/${glp1Id}/decisions`, s.keys.get('glp1-reader')!)).statusCode).toBe(200);
    // The refused decisions were not stored: belimumab's subject has the admin's one only.
    const history = await s.get(`/app/api/subjects/${belimumabId}/decisions`, s.keys.get('admin')!);
    expect(history.json().decisions).toHaveLength(1);
    const all = await s.get(`/app/api/decisions?subject=${belimumabId},${glp1Id}`, s.keys.get('admin')!);
    expect((all.json().decisions as Json[]).map((d) => d.studyId).sort()).toEqual([BELIMUMAB, GLP1]);
  });
});

describe('the CDS services with study-limited scopes (no CDS_CLIENTS: the FHIR API\'s scheme)', () => {
  it('serves the feedback summary, calls and feedback of the caller\'s studies\' services only', async () => {
    const s = await seeded(key);
    const call = (patientId: string) => ({ hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/x', patientId } });
    for (const credential of [s.keys.get('glp1')!, await s.token(GLP1_SCOPES)]) {
      const mine = await s.get(`/cds-services/${GLP1}-prescreen/feedback-summary`, credential);
      expect(mine.statusCode).toBe(200);
      expect(mine.json().study).toBe(GLP1);
      const theirs = await s.get(`/cds-services/${BELIMUMAB}-prescreen/feedback-summary`, credential);
      expectForbidden(theirs);
      expect(theirs.headers['content-type']).toContain('application/json');
      expectForbidden(await json(s, `/cds-services/${BELIMUMAB}-prescreen`, credential, call('p1')));
      expectForbidden(await json(s, `/cds-services/${BELIMUMAB}-prescreen/feedback`, credential, { feedback: [] }));
      // Past the study check: no prefetch and no fhirServer is 412, an unknown card 404.
      expect((await json(s, `/cds-services/${GLP1}-prescreen`, credential, call('p1'))).statusCode).toBe(412);
      const feedback = { feedback: [{ card: crypto.randomUUID(), outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' }] };
      expect((await json(s, `/cds-services/${GLP1}-prescreen/feedback`, credential, feedback)).statusCode).toBe(404);
      // An unknown service is 404 (the services are public in discovery anyway).
      expect((await s.get('/cds-services/no-such-service/feedback-summary', credential)).statusCode).toBe(404);
    }
    // Read only: the summary, not the call.
    expect((await s.get(`/cds-services/${GLP1}-prescreen/feedback-summary`, s.keys.get('glp1-reader')!)).statusCode).toBe(200);
    expectForbidden(await json(s, `/cds-services/${GLP1}-prescreen`, s.keys.get('glp1-reader')!, call('p1')));
    expect((await s.get(`/cds-services/${BELIMUMAB}-prescreen/feedback-summary`, s.keys.get('admin')!)).statusCode).toBe(200);
  });
});

describe('trials-prescreen with study-limited scopes', () => {
  it('screens, cards, stores and summarises only the caller\'s studies, and takes feedback on their cards only', async () => {
    const s = await seeded(key);
    const discovery = (await s.app.inject({ method: 'GET', url: '/cds-services' })).json() as { services: DiscoveredService[] };
    const trials = discovery.services.find((x) => x.id === TRIALS)!;
    const call = () => ({ ...sampleCall(trials, bothStudies()), hookInstance: crypto.randomUUID() });
    const belimumabId = s.subjects.get(BELIMUMAB)!.get(`Patient/${DM_PATIENT}`)!;
    const version = async () => (await s.get(`/ResearchSubject/${belimumabId}`, s.keys.get('admin')!)).json().meta.versionId;
    const before = await version();
    const glp1 = s.keys.get('glp1')!;

    const mine = await json(s, `/cds-services/${TRIALS}`, glp1, call());
    expect(mine.statusCode, mine.body.slice(0, 300)).toBe(200);
    const cards = mine.json().cards as Json[];
    expect(cards).toHaveLength(1);
    const linked = (cards[0]!.links as { url: string }[])[0]!.url.split('/app#/subject/')[1]!;
    expect((await s.get(`/ResearchSubject/${linked}`, glp1)).json().study).toEqual({ reference: `ResearchStudy/${GLP1}` });
    // Only glp1-ckd was screened and stored: belimumab's result of this patient is as it was.
    expect(await version()).toBe(before);
    const stored = await s.get(`/ResearchSubject?patient=Patient/${DM_PATIENT}`, glp1);
    expect(stored.json().total).toBe(1);

    const everyone = await json(s, `/cds-services/${TRIALS}`, s.keys.get('admin')!, call());
    expect(everyone.statusCode).toBe(200);
    expect(everyone.json().cards).toHaveLength(2);
    expect(await version()).not.toBe(before);
    const feedback = (card: Json) => ({ feedback: [{ card: card.uuid, outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' }] });
    const [belimumabCard, glp1Card] = everyone.json().cards as Json[];
    expect((await json(s, `/cds-services/${TRIALS}/feedback`, glp1, feedback(cards[0]!))).statusCode).toBe(200);
    expect((await json(s, `/cds-services/${TRIALS}/feedback`, glp1, feedback(glp1Card!))).statusCode).toBe(200);
    expect((await json(s, `/cds-services/${TRIALS}/feedback`, glp1, feedback(belimumabCard!))).statusCode).toBe(404);
    expect((await json(s, `/cds-services/${TRIALS}/feedback`, s.keys.get('admin')!, feedback(belimumabCard!))).statusCode).toBe(200);

    const summary = await s.get(`/cds-services/${TRIALS}/feedback-summary`, glp1);
    expect(summary.statusCode).toBe(200);
    expect((summary.json().studies as Json[]).map((x) => x.study)).toEqual([GLP1]);
    const all = await s.get(`/cds-services/${TRIALS}/feedback-summary`, s.keys.get('admin')!);
    expect((all.json().studies as Json[]).map((x) => x.study)).toEqual([BELIMUMAB, GLP1]);
    // No study of the service is the caller's: 403, read or write.
    expectForbidden(await s.get(`/cds-services/${TRIALS}/feedback-summary`, s.keys.get('ghost')!));
    expectForbidden(await json(s, `/cds-services/${TRIALS}`, s.keys.get('ghost')!, call()));
    expectForbidden(await json(s, `/cds-services/${TRIALS}`, s.keys.get('glp1-reader')!, call()));
  });
});

describe('the AuditEvent search with study-limited scopes', () => {
  it('returns only the events about the caller\'s studies, with total and paging after the filter', async () => {
    const s = await seeded(key);
    const glp1Id = s.subjects.get(GLP1)!.get('Patient/ex-wlos-pat')!;
    const belimumabId = s.subjects.get(BELIMUMAB)!.get('Patient/dm-rtx')!;
    const reader = s.keys.get('glp1')!;
    // About glp1-ckd: its two seed screenings, a read of its result, a search of it, a call of its CDS service.
    expect((await s.get(`/ResearchSubject/${glp1Id}`, reader)).statusCode).toBe(200);
    expect((await s.get(`/ResearchSubject?study=${GLP1}`, reader)).statusCode).toBe(200);
    expect((await s.post(`/cds-services/${GLP1}-prescreen`, reader, { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/x', patientId: 'p1' } }, 'application/json')).statusCode).toBe(412);
    // Not: belimumab's three screenings, a read of its result, searches across studies.
    expect((await s.get(`/ResearchSubject/${belimumabId}`, s.keys.get('admin')!)).statusCode).toBe(200);
    expect((await s.get('/ResearchSubject', reader)).statusCode).toBe(200);

    const target = (e: Json) => {
      const system = (e.entity as Json[]).find((x) => x.type.code === '2')!;
      return system.what?.reference ?? system.name;
    };
    for (const credential of [reader, await s.token(GLP1_SCOPES)]) {
      const found = await s.get('/AuditEvent?_count=100', credential);
      expect(found.statusCode).toBe(200);
      const events = (found.json().entry as Json[]).map((e) => e.resource);
      expect(found.json().total).toBe(5);
      expect(events.map(target).sort()).toEqual([...Array(4).fill(`ResearchStudy/${GLP1}`), `cds-services/${GLP1}-prescreen`]);
      expect(events.map((e) => e.subtype[1].code).sort()).toEqual(['cds-call', 'screen', 'screen', 'worklist-read', 'worklist-search']);
      const page = await s.get('/AuditEvent?_count=3', credential);
      expect(page.json().total).toBe(5);
      expect(page.json().entry).toHaveLength(3);
      expect((page.json().link as Json[]).some((l) => l.relation === 'next')).toBe(true);
      // One by id: its own study's, yes; another's, 403.
      expect((await s.get(`/AuditEvent/${events[0].id}`, credential)).statusCode).toBe(200);
    }
    const admin = await s.get('/AuditEvent?_count=100', s.keys.get('admin')!);
    const everything = (admin.json().entry as Json[]).map((e) => e.resource);
    expect(everything.length).toBeGreaterThan(5 + 5);
    const belimumabEvent = everything.find((e) => target(e) === `ResearchStudy/${BELIMUMAB}`)!;
    expectForbidden(await s.get(`/AuditEvent/${belimumabEvent.id}`, reader));
    const noStudy = everything.find((e) => target(e) === undefined)!;
    expectForbidden(await s.get(`/AuditEvent/${noStudy.id}`, reader));
    expect((await s.get(`/AuditEvent/${belimumabEvent.id}`, s.keys.get('admin')!)).statusCode).toBe(200);
    // A read of another study's result names that study: the admin sees it as belimumab's.
    expect(everything.some((e) => e.subtype[1].code === 'worklist-read' && target(e) === `ResearchStudy/${BELIMUMAB}`)).toBe(true);
    // ResearchSubject scopes do not reach the audit log at all.
    expectForbidden(await s.get('/AuditEvent', s.keys.get('both-or')!));
  });
});
