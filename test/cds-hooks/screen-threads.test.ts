// patient-view calls with a complete prefetch are parsed and screened on a worker thread
// (cds-hooks/screen-threads.ts). The answers, the stored ResearchSubject and every error must be
// those of the request-thread path (CDS_SCREEN_THREADS=0), over real HTTP.
import { describe, expect, it } from 'vitest';
import { call, criteriaOf, discovery, listen, SERVICE, typicalPatient, type Json, type Listening } from './setup.js';

const PATH = `/cds-services/${SERVICE}`;

/** The complete prefetch of the typical patient, each template answered from its resources. */
function fullPrefetch(templates: Record<string, string>, resources: Json[]): Json {
  const byKey: Json = {};
  for (const key of Object.keys(templates)) {
    const type = templates[key]!.split(/[/?]/)[0]!;
    if (type === 'Patient') byKey[key] = resources.find((r) => r['resourceType'] === 'Patient');
    else {
      const matches = resources.filter((r) => r['resourceType'] === type);
      byKey[key] = { resourceType: 'Bundle', type: 'searchset', entry: matches.map((resource) => ({ resource })) };
    }
  }
  return byKey;
}

const offThreadCalls = (app: Listening) => app.logs.records().filter((r) => r['msg'] === 'cds call screened on a worker thread').length;

/** Calls until one is answered by the thread (it starts with the first call). */
async function warmThread(app: Listening, body: Json): Promise<void> {
  for (let i = 0; i < 200 && offThreadCalls(app) === 0; i++) {
    expect((await app.post(PATH, body)).status).toBe(200);
    if (offThreadCalls(app) === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(offThreadCalls(app)).toBeGreaterThan(0);
}

async function answer(app: Listening, body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const response = await app.post(PATH, body, headers);
  return { status: response.status, body: (await response.json()) as Json };
}

describe('patient-view on a screening thread', () => {
  it('answers, stores and explains exactly as the request thread does', { timeout: 60_000 }, async () => {
    const threaded = await listen({ CDS_SCREEN_THREADS: '1', LOG_LEVEL: 'debug' });
    const inline = await listen({ CDS_SCREEN_THREADS: '0', LOG_LEVEL: 'debug' });
    const { patientId, resources } = typicalPatient();
    const body = call(patientId, { prefetch: fullPrefetch((await discovery(threaded)).prefetch, resources) });
    await warmThread(threaded, body);

    const before = offThreadCalls(threaded);
    const viaThread = await answer(threaded, body);
    expect(offThreadCalls(threaded)).toBe(before + 1);
    const viaInline = await answer(inline, body);
    expect(offThreadCalls(inline)).toBe(0);

    expect(viaThread.status).toBe(200);
    const [threadCard] = viaThread.body['cards'] as Json[];
    const [inlineCard] = viaInline.body['cards'] as Json[];
    // Two servers: the cards differ only in their uuid and the origin of their link.
    const comparable = (card: Json, origin: string) => JSON.parse(JSON.stringify({ ...card, uuid: undefined }).replaceAll(origin, 'ORIGIN')) as Json;
    expect(comparable(threadCard!, threaded.url)).toEqual(comparable(inlineCard!, inline.url));

    const id = ((threadCard!['links'] as { url: string }[])[0]!.url.split('/app#/subject/'))[1]!;
    const fromThread = (await threaded.store.getSubject(id))!.resource;
    const fromInline = (await inline.store.getSubject(id))!.resource;
    expect(criteriaOf(fromThread).size).toBe(30);
    expect(criteriaOf(fromThread)).toEqual(criteriaOf(fromInline));
    // The thread's JSON text is stored as it is; the request thread stringifies its object: the
    // same text, key order and all (meta comes from each row).
    expect(JSON.stringify({ ...fromThread, meta: undefined })).toBe(JSON.stringify({ ...fromInline, meta: undefined }));
    expect(Object.keys(fromThread)).toEqual(Object.keys(fromInline));
    // Each call stored a new version; the next one, from the thread's text, counts on.
    const version = Number((fromThread['meta'] as Json)['versionId']);
    expect(version).toBeGreaterThanOrEqual(2);
    expect((fromInline['meta'] as Json)['versionId']).toBe('1');
    expect((await answer(threaded, body)).status).toBe(200);
    expect(offThreadCalls(threaded)).toBe(before + 2);
    const next = (await threaded.store.getSubject(id))!;
    expect(next.resource['meta']).toEqual({ versionId: String(version + 1), lastUpdated: next.lastUpdated });
  });

  it('leaves every error to the request thread: same status and OperationOutcome as without threads', { timeout: 60_000 }, async () => {
    const threaded = await listen({ CDS_SCREEN_THREADS: '1', LOG_LEVEL: 'debug' });
    const inline = await listen({ CDS_SCREEN_THREADS: '0' });
    const { patientId, resources } = typicalPatient();
    const prefetch = fullPrefetch((await discovery(threaded)).prefetch, resources);
    const good = call(patientId, { prefetch });
    await warmThread(threaded, good);

    const foreign = structuredClone(prefetch);
    ((foreign['conditions'] as { entry: { resource: Json }[] }).entry[0]!.resource)['subject'] = { reference: 'Patient/someone-else' };
    const missingKey = structuredClone(prefetch);
    delete missingKey['conditions'];
    const text = JSON.stringify(good);
    const cases: [string, unknown][] = [
      ['a hookInstance that is not a uuid', { ...good, hookInstance: 'not-a-uuid' }],
      ['another hook', { ...good, hook: 'order-select' }],
      ['a token without fhirServer', { ...good, fhirAuthorization: { access_token: 'x', token_type: 'Bearer' } }],
      ['a record of another patient', { ...good, prefetch: foreign }],
      ['a key to fetch and no fhirServer', { ...good, prefetch: missingKey }],
      ['a prefetch that is a string', { ...good, prefetch: 'everything' }],
      ['a __proto__ key', `${text.slice(0, -1)},"__proto__":{"x":1}}`],
      ['JSON cut short', text.slice(0, -10)],
      // Beyond what a reply between threads can carry back: must not leave the call waiting.
      ['a fhirServer nested 5,000 deep', `${text.slice(0, -1)},"fhirServer":${'['.repeat(5000)}"x"${']'.repeat(5000)}}`],
    ];
    for (const [what, body] of cases) {
      const a = await answer(threaded, body);
      const b = await answer(inline, body);
      expect(a.status, what).toBeGreaterThanOrEqual(400);
      expect(a, what).toEqual(b);
    }
    // Each error came from the request thread: only the warm-up calls were answered by the thread.
    expect(offThreadCalls(threaded)).toBe(1);
  });

  it('takes a body with a byte that is not UTF-8, or a byte-order mark, as the request thread does', { timeout: 60_000 }, async () => {
    const threaded = await listen({ CDS_SCREEN_THREADS: '1', LOG_LEVEL: 'debug' });
    const inline = await listen({ CDS_SCREEN_THREADS: '0' });
    const { patientId, resources } = typicalPatient();
    const good = call(patientId, { prefetch: fullPrefetch((await discovery(threaded)).prefetch, resources) });
    await warmThread(threaded, good);
    const before = offThreadCalls(threaded);

    // 0xFF in the patient's family name: decoded, U+FFFD; the thread screens it.
    const text = JSON.stringify(good);
    const family = (resources[0]!['name'] as { family: string }[])[0]!.family;
    const at = Buffer.byteLength(text.slice(0, text.indexOf(`"family":"${family}"`) + 10));
    const raw = Buffer.from(text);
    const badByte = Buffer.concat([raw.subarray(0, at), Buffer.from([0xff]), raw.subarray(at)]);
    const a = await answer(threaded, badByte);
    const b = await answer(inline, badByte);
    expect(a.status).toBe(200);
    expect(offThreadCalls(threaded)).toBe(before + 1);
    const withoutServer = (body: Json, origin: string) => JSON.stringify(body).replaceAll(origin, '').replace(/"uuid":"[^"]+"/, '');
    expect(withoutServer(a.body, threaded.url)).toBe(withoutServer(b.body, inline.url));
    const id = (((a.body['cards'] as Json[])[0]!['links'] as { url: string }[])[0]!.url.split('/app#/subject/'))[1]!;
    expect({ ...(await threaded.store.getSubject(id))!.resource, meta: undefined }).toEqual({
      ...(await inline.store.getSubject(id))!.resource,
      meta: undefined,
    });
    // 0xFF in the patient id, everywhere: U+FFFD is no id character, the same 400 either way.
    const parts = text.split(patientId).map((part) => Buffer.from(part));
    const badId = Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [part] : [Buffer.from(patientId), Buffer.from([0xff]), part])));
    const c = await answer(threaded, badId);
    expect(c.status).toBe(400);
    expect(c).toEqual(await answer(inline, badId));

    // A byte-order mark: the thread's JSON.parse refuses it and leaves the call to the route's
    // parser, which accepts it; the same answer either way.
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), raw]);
    const d = await answer(threaded, bom);
    const e = await answer(inline, bom);
    expect(d.status).toBe(e.status);
    expect(withoutServer(d.body, threaded.url)).toBe(withoutServer(e.body, inline.url));
  });

  it('a value nested 100,000 deep in a prefetched resource or in the envelope: the same answer on both paths, never a 5xx (max-depth.ts)', { timeout: 60_000 }, async () => {
    const threaded = await listen({ CDS_SCREEN_THREADS: '1', LOG_LEVEL: 'debug' });
    const inline = await listen({ CDS_SCREEN_THREADS: '0', LOG_LEVEL: 'debug' });
    const { patientId, resources } = typicalPatient();
    const prefetch = fullPrefetch((await discovery(threaded)).prefetch, resources);
    await warmThread(threaded, call(patientId, { prefetch }));
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    // JSON.stringify would overflow on the deep value itself: it goes into the text in place of a marker.
    const withDeep = (body: Json) => JSON.stringify(body).replaceAll('"DEEP"', deep);
    const observation = resources.find((r) => r['resourceType'] === 'Observation')!;
    const inResource = withDeep(call(patientId, { prefetch: fullPrefetch((await discovery(threaded)).prefetch, resources.map((r) => (r === observation ? { ...r, extension: 'DEEP' } : r))) }));
    const inEnvelope = withDeep(call(patientId, { prefetch, extension: 'DEEP' }));
    const plain = await answer(inline, call(patientId, { prefetch }));
    for (const body of [inResource, inEnvelope]) {
      const viaThread = await answer(threaded, body);
      const viaInline = await answer(inline, body);
      // Neither place is read deeply: both are screened.
      expect(viaThread.status).toBe(200);
      expect(viaInline.status).toBe(200);
      expect((viaThread.body['cards'] as Json[]).map((c) => c['summary'])).toEqual((viaInline.body['cards'] as Json[]).map((c) => c['summary']));
    }
    // Unread, the deep value changes nothing: the same card as without it.
    const deepCards = (await answer(inline, inResource)).body['cards'] as Json[];
    expect(deepCards.map((c) => c['summary'])).toEqual((plain.body['cards'] as Json[]).map((c) => c['summary']));
  });

  it('screens nothing off the request thread with CDS_SCREEN_THREADS=0', async () => {
    const inline = await listen({ CDS_SCREEN_THREADS: '0', LOG_LEVEL: 'debug' });
    const { patientId, resources } = typicalPatient();
    const body = call(patientId, { prefetch: fullPrefetch((await discovery(inline)).prefetch, resources) });
    for (let i = 0; i < 3; i++) expect((await inline.post(PATH, body)).status).toBe(200);
    expect(offThreadCalls(inline)).toBe(0);
  });
});
