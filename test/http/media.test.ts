import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { candidateBundle, CANDIDATE_AS_OF, issueOf, screen } from './fixtures.js';

describe('FHIR media rules', () => {
  it.each([
    undefined,
    '*/*',
    'application/fhir+json',
    'application/json',
    'application/*',
    'text/html, application/fhir+json;q=0.9',
    'application/fhir+json; fhirVersion=4.0',
  ])('Accept %s → 200 application/fhir+json; charset=utf-8', async (accept) => {
    const { app } = await build();
    const response = await app.inject({ url: '/metadata', headers: accept ? { accept } : {} });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  });

  it.each(['text/html', 'application/fhir+xml', 'application/xml', 'application/fhir+json;q=0'])(
    'Accept %s → 406 not-supported',
    async (accept) => {
      const { app } = await build();
      const response = await app.inject({ url: '/ResearchStudy', headers: { accept } });
      expect(response.statusCode).toBe(406);
      expect(issueOf(response)).toMatchObject({ code: 'not-supported', coding: 'PRESCREEN_NOT_ACCEPTABLE' });
    },
  );

  it.each(['json', 'application/json', 'application/fhir+json'])('_format=%s overrides Accept', async (format) => {
    const { app } = await build();
    const response = await app.inject({
      url: `/metadata?_format=${encodeURIComponent(format)}`,
      headers: { accept: 'text/html' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
  });

  it('_format overrides Accept on $screen too', async () => {
    const { app } = await build();
    const response = await app.inject({
      method: 'POST',
      url: `/ResearchStudy/belimumab-iim/$screen?_format=json&asOf=${CANDIDATE_AS_OF}`,
      headers: { accept: 'application/fhir+xml', 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(candidateBundle()),
    });
    expect(response.statusCode).toBe(200);
  });

  it.each(['application/fhir+xml', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'Content-Type %s → 415',
    async (contentType) => {
      const { app, store } = await build();
      const response = await screen(app, JSON.stringify(candidateBundle()), { contentType });
      expect(response.statusCode).toBe(415);
      expect(issueOf(response)).toMatchObject({ code: 'not-supported', coding: 'PRESCREEN_UNSUPPORTED_MEDIA' });
      expect((await store.searchSubjects({ count: 1, offset: 0 })).total).toBe(0);
    },
  );

  it('echoes a safe X-Request-Id and replaces an unsafe one', async () => {
    const { app } = await build();
    const safe = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(safe.headers['x-request-id']).toBe('abc-123');
    const unsafe = await app.inject({ url: '/healthz', headers: { 'x-request-id': 'Maria Alvarez 1968-04-14' } });
    expect(unsafe.headers['x-request-id']).not.toContain('Maria');
  });
});
