// Hostile and broken bodies: each gets a clear OperationOutcome, within the same limits as a
// good request, and nothing is stored.

import { describe, expect, it } from 'vitest';
import type { Store } from '../../src/storage/store.js';
import { build } from '../helpers/build-app.js';
import { candidateBundle, CANDIDATE_AS_OF, issueOf, screen, type Json } from './fixtures.js';

async function nothingStored(store: Store): Promise<void> {
  expect((await store.searchSubjects({ count: 1, offset: 0 })).total).toBe(0);
}

describe('bad input to $screen', () => {
  it('not JSON: 400 invalid, and the parser message (which quotes input) is not returned', async () => {
    const { app, store } = await build();
    const response = await screen(app, '{"resourceType":"Bundle","entry":[{"resource":{"name":"Maria Alvarez"');
    expect(response.statusCode).toBe(400);
    expect(issueOf(response)).toMatchObject({ code: 'invalid', coding: 'PRESCREEN_NOT_JSON' });
    expect(response.body).not.toContain('Maria');
    expect(response.body).not.toMatch(/Unexpected|position/);
    await nothingStored(store);
  });

  it('JSON that is not a Bundle: 400 structure', async () => {
    const { app, store } = await build();
    for (const body of ['"a string"', '42', 'null', '{}', '{"resourceType":7}']) {
      const response = await screen(app, body);
      expect(response.statusCode, body).toBe(400);
      expect(issueOf(response), body).toMatchObject({ code: 'structure', coding: 'PRESCREEN_NOT_BUNDLE' });
    }
    await nothingStored(store);
  });

  it('a 50 MB body: 413 too-long', async () => {
    const { app, store } = await build();
    const big = `{"resourceType":"Bundle","type":"collection","pad":"${'x'.repeat(50 * 1024 * 1024)}"}`;
    const response = await screen(app, big);
    expect(response.statusCode).toBe(413);
    expect(issueOf(response)).toMatchObject({ code: 'too-long', coding: 'PRESCREEN_TOO_LARGE' });
    await nothingStored(store);
  });

  it('a Bundle of 100,000 entries: 413 too-costly, answered quickly', async () => {
    const { app, store } = await build();
    const bundle = candidateBundle();
    for (let i = 0; i < 100_000; i++) {
      bundle.entry.push({ resource: { resourceType: 'Observation', id: `o${i}`, status: 'final', subject: { reference: 'Patient/example-pat' } } });
    }
    const response = await screen(app, bundle, { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(413);
    expect(issueOf(response)).toMatchObject({ code: 'too-costly', coding: 'PRESCREEN_TOO_MANY_ENTRIES' });
    await nothingStored(store);
  });

  it('deep nesting: answered, never a stack overflow (max-depth.ts)', async () => {
    const { app, store } = await build();
    const depth = 100_000;
    const nest = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    // Where nothing reads it, a deep value changes nothing: the patient is screened.
    const unread = `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":"p","birthDate":"1970-01-01","extension":${nest}}}]}`;
    const screened = await screen(app, unread, { asOf: CANDIDATE_AS_OF });
    expect(screened.statusCode).toBe(200);
    expect(screened.json()).toMatchObject({ resourceType: 'ResearchSubject' });
    // Where it breaks the Bundle's structure, it is refused as any other wrong value there.
    const asId = `{"resourceType":"Bundle","type":"collection","entry":[{"resource":{"resourceType":"Patient","id":${nest}}}]}`;
    const refused = await screen(app, asId, { asOf: CANDIDATE_AS_OF });
    expect(refused.statusCode).toBe(400);
    expect(issueOf(refused)).toMatchObject({ coding: 'PRESCREEN_BAD_BUNDLE', expression: ['Bundle.entry[0].resource.id'] });
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(1);
  });

  it('wrong types in fields: a clear 400, or screened as missing data, never a 500', async () => {
    const { app, store } = await build();
    const cases: [string, Json][] = [
      ['entry is an object', { resourceType: 'Bundle', type: 'collection', entry: { resource: {} } }],
      ['entry item is a string', { resourceType: 'Bundle', type: 'collection', entry: ['Patient/1'] }],
      ['resource is a number', { resourceType: 'Bundle', type: 'collection', entry: [{ resource: 7 }] }],
      ['Bundle.type is unknown', { resourceType: 'Bundle', type: 'bag', entry: [] }],
      ['Parameters.parameter is an object', { resourceType: 'Parameters', parameter: { name: 'bundle' } }],
    ];
    for (const [name, body] of cases) {
      const response = await screen(app, body);
      expect(response.statusCode, name).toBe(400);
      expect(['structure', 'value', 'invalid'], name).toContain(issueOf(response).code);
    }
    await nothingStored(store);

    // Wrong types inside a clinical resource are data problems, not request problems.
    const odd = candidateBundle();
    odd.entry[0].resource.birthDate = 19680414;
    odd.entry[1].resource.code = 'dermatomyositis';
    const response = await screen(app, odd, { asOf: CANDIDATE_AS_OF });
    expect([200, 400, 422]).toContain(response.statusCode);
  });

  it('duplicate ids with different content: 422, identical copies collapse', async () => {
    const { app, store } = await build();
    const conflicting = candidateBundle();
    const copy = structuredClone(conflicting.entry[2]);
    copy.resource.valueString = 'different';
    conflicting.entry.push(copy);
    const response = await screen(app, conflicting, { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(422);
    expect(issueOf(response)).toMatchObject({ code: 'business-rule', coding: 'PRESCREEN_CONFLICTING_DUPLICATE' });
    await nothingStored(store);

    const identical = candidateBundle();
    identical.entry.push(structuredClone(identical.entry[2]));
    expect((await screen(app, identical, { asOf: CANDIDATE_AS_OF })).statusCode).toBe(200);
  });

  it('reference cycles are screened without hanging', async () => {
    const { app } = await build();
    const bundle = candidateBundle();
    bundle.entry.push(
      { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Observation', status: 'final', subject: { reference: 'Patient/example-pat' }, hasMember: [{ reference: 'urn:uuid:22222222-2222-4222-8222-222222222222' }], derivedFrom: [{ reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }] } },
      { fullUrl: 'urn:uuid:22222222-2222-4222-8222-222222222222', resource: { resourceType: 'Observation', status: 'final', subject: { reference: 'Patient/example-pat' }, hasMember: [{ reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' }] } },
    );
    bundle.entry[3].resource.medicationReference = { reference: '#self' };
    bundle.entry[3].resource.contained = [{ resourceType: 'Medication', id: 'self', ingredient: [{ itemReference: { reference: '#' } }] }];
    const response = await screen(app, bundle, { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(200);
    expect((response.json() as Json).resourceType).toBe('ResearchSubject');
  });

  it('prototype poisoning is refused, not silently stripped', async () => {
    const { app, store } = await build();
    const response = await screen(app, '{"resourceType":"Bundle","type":"collection","__proto__":{"polluted":true},"entry":[]}');
    expect(response.statusCode).toBe(400);
    expect(issueOf(response).code).toBe('invalid');
    expect(({} as Json).polluted).toBeUndefined();
    const constructor = await screen(app, '{"resourceType":"Bundle","constructor":{"prototype":{"polluted":true}}}');
    expect(constructor.statusCode).toBe(400);
    await nothingStored(store);
  });

  it('a body is not changed by validation: string numbers stay strings', async () => {
    const { app } = await build();
    // "total": "3" must not be coerced to 3 (style.md rule 9); ingest sees what was sent and
    // the envelope check lets it through to the real rules.
    const bundle = candidateBundle();
    bundle.total = '3';
    const response = await screen(app, bundle, { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(200);
  });
});
