// POST /cds-services/trials-prescreen over real HTTP: one screening of the call's data for every
// study, one card per study where the patient is a (potential-)candidate, each the card the
// study's own service answers, each result stored as that service stores it.
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeFhirServer } from '../helpers/fake-fhir-server.js';
import { emptiesIn, listen, type Json, type Listening } from './setup.js';
import { belimumabOnly, bothStudies, cardsOf, DM_PATIENT, nobody, sampleCall, servicesOf } from './trials-setup.js';

const TRIALS = 'trials-prescreen';
const STUDY_OF_SERVICE = new Map([
  ['belimumab-iim-prescreen', 'belimumab-iim'],
  ['glp1-ckd-prescreen', 'glp1-ckd'],
]);

const subjectIdOf = (card: Json) => (card['links'] as { url: string }[])[0]!.url.split('/app#/subject/')[1]!;

/** The patient's stored ResearchSubjects by study, meta aside (each call stores a new version). */
async function storedByStudy(app: Listening, patient: string): Promise<Map<string, Json>> {
  const { items } = await app.store.searchSubjects({ patient: `Patient/${patient}`, count: 10, offset: 0 });
  return new Map(items.map((s) => [s.studyId, { ...s.resource, meta: undefined }]));
}

/**
 * The cards of trials-prescreen and, for each study, its own service's cards for the same
 * patient; and the results each stored: trials-prescreen's must be what the study services store.
 */
async function bothWays(app: Listening, bundle: Json): Promise<{ trials: Json[]; own: Map<string, Json[]> }> {
  const services = await servicesOf(app);
  const patient = String((bundle['entry'] as { resource: Json }[])[0]!.resource['id']);
  const trials = await cardsOf(app, TRIALS, sampleCall(services.get(TRIALS)!, bundle));
  const storedByTrials = await storedByStudy(app, patient);
  const own = new Map<string, Json[]>();
  for (const [serviceId, studyId] of STUDY_OF_SERVICE) own.set(studyId, await cardsOf(app, serviceId, sampleCall(services.get(serviceId)!, bundle)));
  const storedByOwn = await storedByStudy(app, patient);
  expect([...storedByTrials.keys()].sort()).toEqual([...STUDY_OF_SERVICE.values()]);
  expect(storedByTrials).toEqual(storedByOwn);
  return { trials, own };
}

describe('POST /cds-services/trials-prescreen', () => {
  it('answers a candidate of both studies with two cards, each the one the study\'s own service answers', async () => {
    const app = await listen({ LOG_LEVEL: 'debug' });
    const { trials, own } = await bothWays(app, bothStudies());
    expect(trials).toHaveLength(2);
    expect(new Set(trials.map((c) => c['uuid'])).size).toBe(2);
    expect(emptiesIn({ cards: trials })).toEqual([]);
    const studies = ['belimumab-iim', 'glp1-ckd'];
    for (const [i, studyId] of studies.entries()) {
      const card = trials[i]!;
      const [alone] = own.get(studyId)!;
      // Equal but for the uuid: the same summary, detail, reasons and worklist link (the
      // ResearchSubject id is the study's, the patient's and the day's).
      expect({ ...card, uuid: undefined }).toEqual({ ...alone, uuid: undefined });
      expect(card['uuid']).not.toBe(alone!['uuid']);
      const stored = (await app.store.getSubject(subjectIdOf(card)))!;
      expect(stored.resource['study']).toEqual({ reference: `ResearchStudy/${studyId}` });
      expect(stored.resource['individual']).toEqual({ reference: `Patient/${DM_PATIENT}` });
      expect(stored.resource['status']).toBe('candidate');
      // Stored as the study's service stores it: that call replaced this one's version.
      expect(stored.resource['meta']).toMatchObject({ versionId: '2' });
    }
    // Each summary names its trial: the title, or the acronym when the title would not fit.
    expect(trials[0]!['summary']).toContain('Belimumab in refractory idiopathic inflammatory myositis');
    expect(trials[1]!['summary']).toContain('"GLP1-CKD"');
    for (const card of trials) {
      expect((card['summary'] as string).length).toBeLessThan(140);
      expect(card['summary']).not.toContain('…');
      expect(card['detail']).toMatch(/A person must still confirm/);
    }
  });

  it('answers one card for a candidate of one study, and stores the other study\'s result too', async () => {
    const app = await listen();
    const { trials, own } = await bothWays(app, belimumabOnly());
    expect(trials).toHaveLength(1);
    expect({ ...trials[0], uuid: undefined }).toEqual({ ...own.get('belimumab-iim')![0], uuid: undefined });
    expect(own.get('glp1-ckd')).toEqual([]);
    const stored = await app.store.searchSubjects({ patient: `Patient/${DM_PATIENT}`, count: 10, offset: 0 });
    expect(stored.items.map((s) => [s.studyId, s.status]).sort()).toEqual([
      ['belimumab-iim', 'candidate'],
      ['glp1-ckd', 'ineligible'],
    ]);
  });

  it('answers cards: [] when the patient fits no study, with each study\'s result stored', async () => {
    const app = await listen();
    const { trials, own } = await bothWays(app, nobody());
    expect(trials).toEqual([]);
    expect([...own.values()]).toEqual([[], []]);
    const stored = await app.store.searchSubjects({ patient: 'Patient/no-data-pat', count: 10, offset: 0 });
    expect(stored.items.map((s) => s.status)).toEqual(['ineligible', 'ineligible']);
  });

  it('never answers an ineligible card, even where the study services do (CDS_INELIGIBLE_CARDS)', async () => {
    const app = await listen({ CDS_INELIGIBLE_CARDS: 'true' });
    const { trials, own } = await bothWays(app, nobody());
    expect(trials).toEqual([]);
    expect(own.get('belimumab-iim')).toHaveLength(1);
  });

  it('fetches what is not prefetched from fhirServer, each query once, with the token', async () => {
    const app = await listen();
    const bundle = bothStudies();
    const server = await startFakeFhirServer((bundle['entry'] as { resource: Json }[]).map((e) => e.resource));
    onTestFinished(() => server.close());
    const services = await servicesOf(app);
    const templates = services.get(TRIALS)!.prefetch;
    const response = await app.post(`/cds-services/${TRIALS}`, {
      hook: 'patient-view',
      hookInstance: crypto.randomUUID(),
      context: { userId: 'Practitioner/example', patientId: DM_PATIENT },
      fhirServer: server.base,
      fhirAuthorization: { access_token: 'secret-token-0123', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds' },
    });
    expect(response.status).toBe(200);
    const { cards } = (await response.json()) as { cards: Json[] };
    expect(cards.map((c) => (c['summary'] as string).includes('GLP1-CKD'))).toEqual([false, true]);
    // One request per template of the union: a query two studies share is fetched once.
    expect(server.requests).toHaveLength(Object.keys(templates).length);
    expect(new Set(server.requests.map((r) => r.path)).size).toBe(server.requests.length);
    expect(server.requests.every((r) => r.authorization === 'Bearer secret-token-0123')).toBe(true);
    expect(app.logs.text()).not.toContain('secret-token-0123');
    // The same cards as from the complete prefetch.
    const viaPrefetch = await cardsOf(app, TRIALS, sampleCall(services.get(TRIALS)!, bundle));
    expect(cards.map((c) => ({ ...c, uuid: undefined }))).toEqual(viaPrefetch.map((c) => ({ ...c, uuid: undefined })));
  });

  it('follows the per-study services\' fetch rules: 412 naming the keys when data cannot be had, a foreign origin refused', async () => {
    const app = await listen();
    const services = await servicesOf(app);
    const full = sampleCall(services.get(TRIALS)!, bothStudies());
    const prefetch = { ...(full['prefetch'] as Json) };
    delete prefetch['diagnosticReports-glp1-ckd'];
    const noServer = await app.post(`/cds-services/${TRIALS}`, { ...full, prefetch });
    expect(noServer.status).toBe(412);
    const outcome = JSON.stringify(await noServer.json());
    expect(outcome).toContain('incomplete');
    expect(outcome).toContain('diagnosticReports-glp1-ckd');
    const foreign = await app.post(`/cds-services/${TRIALS}`, {
      ...full,
      prefetch,
      fhirServer: 'https://ehr.example.org/fhir',
      fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 60, scope: 'patient/*.read', subject: 's' },
    });
    expect(foreign.status).toBe(412);
    expect(JSON.stringify(await foreign.json())).toContain('not allowed');
    // Nothing stored for either study.
    expect((await app.store.searchSubjects({ patient: `Patient/${DM_PATIENT}`, count: 10, offset: 0 })).items).toEqual([]);
  });

  it('screens on a worker thread as the request thread does', { timeout: 60_000 }, async () => {
    const threaded = await listen({ CDS_SCREEN_THREADS: '1', LOG_LEVEL: 'debug' });
    const inline = await listen({ CDS_SCREEN_THREADS: '0' });
    const body = sampleCall((await servicesOf(threaded)).get(TRIALS)!, bothStudies());
    const offThread = () => threaded.logs.records().filter((r) => r['msg'] === 'cds call screened on a worker thread').length;
    let cards: Json[] = [];
    for (let i = 0; i < 200 && offThread() === 0; i++) {
      cards = await cardsOf(threaded, TRIALS, body);
      if (offThread() === 0) await new Promise((r) => setTimeout(r, 100));
    }
    // One thread screening answered the call for both studies.
    expect(offThread()).toBe(1);
    const here = await cardsOf(inline, TRIALS, body);
    const comparable = (list: Json[], origin: string) => JSON.parse(JSON.stringify(list.map((c) => ({ ...c, uuid: undefined }))).replaceAll(origin, 'ORIGIN')) as Json[];
    expect(comparable(cards, threaded.url)).toEqual(comparable(here, inline.url));
    expect(cards).toHaveLength(2);
    for (const card of cards) {
      const id = subjectIdOf(card);
      const a = (await threaded.store.getSubject(id))!.resource;
      const b = (await inline.store.getSubject(id))!.resource;
      expect(JSON.stringify({ ...a, meta: undefined })).toBe(JSON.stringify({ ...b, meta: undefined }));
    }
  });

  it('refuses another hook and an unknown service as the per-study services do', async () => {
    const app = await listen();
    const body = sampleCall((await servicesOf(app)).get(TRIALS)!, nobody());
    const wrongHook = await app.post(`/cds-services/${TRIALS}`, { ...body, hook: 'order-select' });
    expect(wrongHook.status).toBe(400);
    expect(((await wrongHook.json()) as { issue: { expression: string[] }[] }).issue[0]!.expression).toEqual(['hook']);
    expect((await app.post('/cds-services/trials', body)).status).toBe(404);
  });
});
