// A request turned away for its size names the limit it passed and the setting that sets it
// (BODY_LIMIT, MAX_ENTRIES, NDJSON_MAX_LINES), on every transport that can pass it: so an
// operator reading the answer knows what to change, or the caller how to split the request.

import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { candidateBundle, CANDIDATE_AS_OF, screen, type Json } from './fixtures.js';

function ndjsonOut(body: string): Json[] {
  return body.trim().split('\n').map((l) => JSON.parse(l) as Json);
}

describe('413 answers name the limit', () => {
  it('an NDJSON line longer than BODY_LIMIT: the line limit in bytes', async () => {
    const { app } = await build({ env: { BODY_LIMIT: '1024' } });
    const long = JSON.stringify({ resourceType: 'Bundle', type: 'collection', pad: 'x'.repeat(5000) });
    const response = await screen(app, `${long}\n`, { contentType: 'application/fhir+ndjson', asOf: CANDIDATE_AS_OF });
    const [line] = ndjsonOut(response.body);
    expect(line!.issue[0]).toMatchObject({ code: 'too-long', details: { coding: [{ code: 'PRESCREEN_LINE_TOO_LONG' }] } });
    expect(line!.issue[0].details.text).toMatch(/The limit is 1024 bytes a line \(setting BODY_LIMIT\)\.$/);
  });

  it('more NDJSON lines than NDJSON_MAX_LINES: the line count', async () => {
    const { app } = await build({ env: { NDJSON_MAX_LINES: '1' } });
    const line = JSON.stringify(candidateBundle());
    const response = await screen(app, `${line}\n${line}\n`, { contentType: 'application/fhir+ndjson', asOf: CANDIDATE_AS_OF });
    const out = ndjsonOut(response.body);
    expect(out.map((r) => r.resourceType)).toEqual(['ResearchSubject', 'OperationOutcome']);
    expect(out[1]!.issue[0]).toMatchObject({ code: 'too-costly', details: { coding: [{ code: 'PRESCREEN_TOO_MANY_LINES' }] } });
    expect(out[1]!.issue[0].details.text).toMatch(/The limit is 1 lines a request \(setting NDJSON_MAX_LINES\)\.$/);
  });

  it('a CDS Hooks call over BODY_LIMIT', async () => {
    const { app } = await build({ env: { BODY_LIMIT: '2048' } });
    const call = (prefetch: Json) => ({
      hook: 'patient-view',
      hookInstance: crypto.randomUUID(),
      context: { userId: 'Practitioner/example', patientId: 'example-pat' },
      prefetch,
    });
    const big = await app.inject({
      method: 'POST',
      url: '/cds-services/belimumab-iim-prescreen',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(call({ pad: 'x'.repeat(5000) })),
    });
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toMatch(/^application\/json/);
    const bigIssue = (big.json() as Json).issue[0];
    expect(bigIssue).toMatchObject({ code: 'too-long', details: { coding: [{ code: 'PRESCREEN_TOO_LARGE' }] } });
    expect(bigIssue.details.text).toMatch(/The limit is 2048 bytes \(setting BODY_LIMIT\)\.$/);
  });
});
