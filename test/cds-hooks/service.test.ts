// POST /cds-services/{id} over real HTTP, against a FHIR server stand-in on 127.0.0.1.
import type { LookupAddress } from 'node:dns';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startFakeFhirServer, type FakeFhirServer } from '../helpers/fake-fhir-server.js';
import { call, criteriaOf, discovery, emptiesIn, listen, prefetchFrom, SERVICE, typicalPatient, type Json, type Listening } from './setup.js';

const PATH = `/cds-services/${SERVICE}`;
const TOKEN = 'secret-access-token-0123456789';

async function fhir(options: Parameters<typeof startFakeFhirServer>[1] = {}): Promise<{ server: FakeFhirServer; patientId: string; bundle: Json }> {
  const { resources, patientId, bundle } = typicalPatient();
  const server = await startFakeFhirServer(resources, options);
  onTestFinished(() => server.close());
  return { server, patientId, bundle };
}

function auth(server: FakeFhirServer): Json {
  return {
    fhirServer: server.base,
    fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' },
  };
}

async function cards(response: Response): Promise<Json[]> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await response.json()) as { cards: Json[] }).cards;
}

async function storedSubject(app: Listening, card: Json): Promise<Json> {
  const url = (card['links'] as { url: string }[])[0]!.url;
  const id = url.split('/app#/subject/')[1]!;
  const stored = await app.store.getSubject(id);
  expect(stored).toBeDefined();
  return stored!.resource;
}

describe('POST /cds-services/{id}', () => {
  it('answers a complete prefetch without calling the FHIR server: one info card, stored ResearchSubject', async () => {
    const app = await listen();
    const { server, patientId } = await fhir();
    const prefetch = await prefetchFrom(server, (await discovery(app)).prefetch, patientId);
    const [card, ...rest] = await cards(await app.post(PATH, call(patientId, { ...auth(server), prefetch })));
    expect(rest).toEqual([]);
    expect(server.requests).toEqual([]);
    expect(card).toMatchObject({ indicator: 'info', source: { label: expect.any(String) } });
    expect(card!['uuid']).toMatch(/^[0-9a-f-]{36}$/);
    expect((card!['summary'] as string).length).toBeLessThan(140);
    expect(card!['detail']).toMatch(/must still confirm/);
    expect(card!['links']).toEqual([{ label: expect.any(String), url: expect.stringMatching(/\/app#\/subject\/[A-Za-z0-9.-]+$/), type: 'absolute' }]);
    expect(emptiesIn(card)).toEqual([]);
    const subject = await storedSubject(app, card!);
    expect(subject['status']).toBe('candidate');
    const asOf = (subject['extension'] as { extension: { url: string; valueDate?: string }[] }[])[0]!.extension.find((e) => e.url === 'asOf');
    expect(asOf?.valueDate).toBe(new Date().toISOString().slice(0, 10));
  });

  it('gives the same per-criterion answer as $screen for the same data', async () => {
    const app = await listen();
    const { server, patientId, bundle } = await fhir();
    const [card] = await cards(await app.post(PATH, call(patientId, auth(server))));
    const viaCds = criteriaOf(await storedSubject(app, card!));
    const today = new Date().toISOString().slice(0, 10);
    const screened = await app.post(`/ResearchStudy/belimumab-iim/$screen?asOf=${today}`, bundle, { 'content-type': 'application/fhir+json' });
    expect(screened.status).toBe(200);
    const viaScreen = criteriaOf((await screened.json()) as Json);
    expect(viaCds.size).toBe(30);
    expect(viaCds).toEqual(viaScreen);
  });

  it('fetches the absent and OperationOutcome keys, treats null as no data, with the bearer token', async () => {
    const app = await listen();
    const { server, patientId } = await fhir();
    const prefetch = await prefetchFrom(server, (await discovery(app)).prefetch, patientId);
    delete prefetch['conditions'];
    prefetch['medicationRequests'] = { resourceType: 'OperationOutcome', issue: [{ severity: 'information', code: 'informational' }] };
    prefetch['procedures'] = null;
    prefetch['allergyIntolerances'] = null;
    const response = await app.post(PATH, call(patientId, { ...auth(server), prefetch }));
    expect(await cards(response)).toHaveLength(1);
    expect(server.requests.map((r) => r.path.split('?')[0]).sort()).toEqual(['/fhir/Condition', '/fhir/MedicationRequest']);
    for (const r of server.requests) expect(r.authorization).toBe(`Bearer ${TOKEN}`);
    expect(app.logs.text()).not.toContain(TOKEN);
  });

  it('fetches everything when there is no prefetch, and pages through next links', async () => {
    const app = await listen();
    const { server, patientId } = await fhir({ pageSize: 3 });
    const templates = Object.keys((await discovery(app)).prefetch);
    const [card] = await cards(await app.post(PATH, call(patientId, auth(server))));
    expect(card).toBeDefined();
    const firstPages = server.requests.filter((r) => !r.path.startsWith('/fhir/_page'));
    const nextPages = server.requests.filter((r) => r.path.startsWith('/fhir/_page'));
    expect(firstPages).toHaveLength(templates.length);
    expect(nextPages.length).toBeGreaterThanOrEqual(3);
    // The paged answer screens like the unpaged one.
    const subject = await storedSubject(app, card!);
    expect(subject['status']).toBe('candidate');
  });

  it('follows a prefetched searchset next link on the FHIR server', async () => {
    const app = await listen();
    const { server, patientId } = await fhir({ pageSize: 5 });
    const prefetch = await prefetchFrom(server, (await discovery(app)).prefetch, patientId);
    expect((prefetch['encounters'] as Json)['link']).toBeDefined();
    const response = await app.post(PATH, call(patientId, { ...auth(server), prefetch }));
    expect(await cards(response)).toHaveLength(1);
    expect(server.requests.length).toBeGreaterThan(0);
    expect(server.requests.every((r) => r.path.startsWith('/fhir/_page'))).toBe(true);
  });

  it('answers 412 incomplete when the FHIR server is too slow', async () => {
    const app = await listen({ CDS_FHIR_TIMEOUT_MS: '100', CDS_FHIR_DEADLINE_MS: '300' });
    const { server, patientId } = await fhir({ delayMs: 1000 });
    const started = performance.now();
    const response = await app.post(PATH, call(patientId, auth(server)));
    expect(performance.now() - started).toBeLessThan(900);
    await expectIncomplete(response);
  });

  it('answers 412 incomplete when the FHIR server fails (500)', async () => {
    const app = await listen();
    const { server, patientId } = await fhir({ failStatus: 500 });
    await expectIncomplete(await app.post(PATH, call(patientId, auth(server))));
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('answers 412 when data is missing and there is no fhirServer or token', async () => {
    const app = await listen();
    const { patientId } = await fhir();
    await expectIncomplete(await app.post(PATH, call(patientId)));
    const { server } = await fhir();
    await expectIncomplete(await app.post(PATH, call(patientId, { fhirServer: server.base })));
    expect(server.requests).toEqual([]);
  });

  it('never calls an origin outside CDS_FHIR_ALLOWLIST, nor follows a redirect elsewhere', async () => {
    const app = await listen({ CDS_FHIR_ALLOWLIST: 'https://ehr.example.org' });
    const { server, patientId } = await fhir();
    await expectIncomplete(await app.post(PATH, call(patientId, auth(server))));
    expect(server.requests).toEqual([]);

    const open = await listen();
    const elsewhere = await fhir();
    const redirecting = await fhir({ redirectTo: `${elsewhere.server.base}/Patient/${patientId}` });
    await expectIncomplete(await open.post(PATH, call(patientId, auth(redirecting.server))));
    expect(redirecting.server.requests.length).toBeGreaterThan(0);
    expect(elsewhere.server.requests).toEqual([]);
  });

  it('fetches from a loopback FHIR server without CDS_FHIR_ALLOWLIST, and from no other origin, without any traffic', async () => {
    const names: string[] = [];
    const lookup = async (name: string) => {
      names.push(name);
      return [{ address: '127.0.0.1', family: 4 }];
    };
    const app = await listen({}, { hostLookup: lookup });
    const { server, patientId } = await fhir();
    expect(app.config.cds.fhirAllowlist).toBeUndefined();
    expect((await app.post(PATH, call(patientId, auth(server)))).status).toBe(200);
    const served = server.requests.length;
    expect(served).toBeGreaterThan(0);
    for (const origin of ['https://ehr.example.org', 'http://10.0.0.5:8080', 'http://169.254.169.254', 'http://metadata.google.internal']) {
      await expectNotAllowed(await app.post(PATH, call(patientId, { ...auth(server), fhirServer: `${origin}/fhir` })));
    }
    // Refused before any name was resolved or any connection made.
    expect(names).toEqual([]);
    expect(server.requests).toHaveLength(served);
  });

  it('with CDS_FHIR_ALLOWLIST=* connects to the address the name resolved to, and refuses a name with any metadata address', async () => {
    const { server, patientId } = await fhir();
    const port = new URL(server.base).port;
    const table = new Map<string, LookupAddress[]>([
      ['fhir.hospital.test', [{ address: '127.0.0.1', family: 4 }]],
      ['rebound.hospital.test', [{ address: '127.0.0.1', family: 4 }, { address: '169.254.169.254', family: 4 }]],
      ['metadata.hospital.test', [{ address: 'fd00:ec2::254', family: 6 }]],
    ]);
    const app = await listen({ CDS_FHIR_ALLOWLIST: '*,https://ehr.example.org' }, { hostLookup: async (name) => table.get(name) ?? [] });
    // The name exists only in the injected table: reaching the fake server proves the socket used it.
    expect((await app.post(PATH, call(patientId, { ...auth(server), fhirServer: `http://fhir.hospital.test:${port}/fhir` }))).status).toBe(200);
    const served = server.requests.length;
    expect(served).toBeGreaterThan(0);
    for (const host of ['rebound.hospital.test', 'metadata.hospital.test', '169.254.169.254', '[fe80::1]']) {
      await expectNotAllowed(await app.post(PATH, call(patientId, { ...auth(server), fhirServer: `http://${host}:${port}/fhir` })));
    }
    expect(server.requests).toHaveLength(served);
  });

  it('refuses a paging link to another origin without sending the token there', async () => {
    const app = await listen();
    const { server, patientId } = await fhir();
    const other = await fhir();
    const prefetch = await prefetchFrom(server, (await discovery(app)).prefetch, patientId);
    prefetch['encounters'] = { ...(prefetch['encounters'] as Json), link: [{ relation: 'next', url: `${other.server.base}/Encounter?patient=${patientId}` }] };
    await expectIncomplete(await app.post(PATH, call(patientId, { ...auth(server), prefetch })));
    expect(other.server.requests).toEqual([]);
  });

  it('answers cards: [] for an ineligible patient, or a card naming the failing criteria when configured', async () => {
    const { server, patientId, bundle } = await fhir();
    // A 12-year-old: inc-age fails.
    const patient = (bundle['entry'] as { resource: Json }[])[0]!.resource;
    patient['birthDate'] = `${new Date().getUTCFullYear() - 12}-01-01`;
    const quiet = await listen();
    expect(await cards(await quiet.post(PATH, call(patientId, auth(server))))).toEqual([]);
    const loud = await listen({ CDS_INELIGIBLE_CARDS: 'true' });
    const [card] = await cards(await loud.post(PATH, call(patientId, auth(server))));
    expect(card!['summary']).toMatch(/Not eligible/);
    expect(card!['detail']).toMatch(/I1 Adult/);
    expect((await storedSubject(loud, card!))['status']).toBe('ineligible');
  });

  it('rejects a malformed call with 400 and the field, and an unknown service with 404', async () => {
    const app = await listen();
    const { patientId } = await fhir();
    const cases: [Json, string][] = [
      [{ ...call(patientId), hook: 'order-select' }, 'hook'],
      [{ ...call(patientId), hookInstance: 'not-a-uuid' }, 'hookInstance'],
      [{ hook: 'patient-view', hookInstance: crypto.randomUUID(), context: {} }, 'context.patientId'],
      [{ ...call('../../etc/passwd') }, 'context.patientId'],
      [{ ...call(patientId), fhirAuthorization: { access_token: 'x', token_type: 'Bearer' } }, 'fhirServer'],
      [{ ...call(patientId), prefetch: { patient: 'Patient/1' } }, 'prefetch.patient'],
    ];
    for (const [body, expression] of cases) {
      const response = await app.post(PATH, body);
      expect(response.status, expression).toBe(400);
      const outcome = (await response.json()) as { issue: { code: string; expression?: string[] }[] };
      expect(outcome.issue[0]!.expression, expression).toEqual([expression]);
    }
    const notJson = await app.post(PATH, '{"hook":');
    expect(notJson.status).toBe(400);
    const unknown = await app.post('/cds-services/no-such-service', call(patientId));
    expect(unknown.status).toBe(404);
    const xml = await fetch(`${app.url}${PATH}`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<a/>' });
    expect(xml.status).toBe(415);
  });

  it('sheds load early with 503 and Retry-After when too many calls are in flight', async () => {
    const app = await listen({ CDS_MAX_IN_FLIGHT: '1', CDS_FHIR_TIMEOUT_MS: '4000', CDS_FHIR_DEADLINE_MS: '4000' });
    const { server, patientId } = await fhir({ delayMs: 800 });
    let slowSettled = false;
    const slow = app.post(PATH, call(patientId, auth(server))).finally(() => (slowSettled = true));
    // The first call holds the only slot once its FHIR fetches have begun.
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    const shed = await app.post(PATH, call(patientId, auth(server)));
    // Shed at once: answered while the first call is still waiting on its FHIR server.
    expect(slowSettled).toBe(false);
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(((await shed.json()) as { issue: { code: string }[] }).issue[0]!.code).toBe('throttled');
    expect((await slow).status).toBe(200);
    // The slot is free again.
    expect((await app.post(PATH, call(patientId, auth(server)))).status).toBe(200);
  });
});

/** 412 incomplete, saying the origin is not allowed. */
async function expectNotAllowed(response: Response): Promise<void> {
  expect(response.status).toBe(412);
  const outcome = (await response.json()) as { issue: { code: string; details: { text: string } }[] };
  expect(outcome.issue[0]!.code).toBe('incomplete');
  expect(outcome.issue[0]!.details.text).toMatch(/fhirServer origin is not allowed/);
}

async function expectIncomplete(response: Response): Promise<void> {
  expect(response.status).toBe(412);
  const outcome = (await response.json()) as { resourceType: string; issue: { code: string; severity: string }[] };
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: 'incomplete' });
}
