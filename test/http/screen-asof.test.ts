// $screen's screening date and query (issue 14 §5): an asOf after tomorrow (UTC) is a 400 in the
// query, in a Parameters body and in NDJSON; a misspelt query parameter is a 400 naming the
// ones $screen takes; and a screening for an earlier asOf than the stored result's answers its
// own result but leaves the stored (later) one on the worklist.

import { describe, expect, it } from 'vitest';
import { addDays } from '../../src/fhir/dates.js';
import { todayUtc } from '../../src/http/today-utc.js';
import { build } from '../helpers/build-app.js';
import { asParameters, candidateBundle, CANDIDATE_AS_OF, issueOf, screen, SCREEN_URL, type Json } from './fixtures.js';

// Against the real clock, as the service reads it: three days ahead is refused even if the
// date turns between the test's reading and the service's; tomorrow is accepted likewise.
const tooLate = () => addDays(todayUtc(), 3);
const tomorrow = () => addDays(todayUtc(), 1);

function withPatient(id: string): Json {
  return JSON.parse(JSON.stringify(candidateBundle()).replaceAll('example-pat', id)) as Json;
}

function asOfOf(subject: Json): string {
  return subject.extension[0].extension.find((e: Json) => e.url === 'asOf').valueDate as string;
}

describe('$screen asOf after tomorrow', () => {
  it('is a 400 in the query, naming the latest day allowed, and stores nothing', async () => {
    const { app, store } = await build();
    const response = await screen(app, candidateBundle(), { asOf: tooLate() });
    expect(response.statusCode).toBe(400);
    const issue = issueOf(response);
    expect(issue).toMatchObject({ code: 'value', coding: 'PRESCREEN_FUTURE_ASOF' });
    expect(issue.text).toContain('query parameter asOf');
    expect(issue.text).toMatch(/The latest asOf today is \d{4}-\d\d-\d\d\./);
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });

  it('is a 400 in a Parameters body, on the asOf value', async () => {
    const { app, store } = await build();
    const response = await screen(app, asParameters(candidateBundle(), tooLate()));
    expect(response.statusCode).toBe(400);
    expect(issueOf(response)).toMatchObject({ code: 'value', coding: 'PRESCREEN_FUTURE_ASOF', expression: ['Parameters.parameter[1].valueDate'] });
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });

  it('accepts tomorrow (a day of grace for clients east of UTC)', async () => {
    const { app } = await build();
    const day = tomorrow();
    const response = await screen(app, asParameters(candidateBundle(), day));
    expect(response.statusCode).toBe(200);
    expect(asOfOf(response.json() as Json)).toBe(day);
  });

  it('in an NDJSON query is a plain 400 before streaming; in a line, that line’s OperationOutcome', async () => {
    const { app, store } = await build();
    const ndjson = { contentType: 'application/fhir+ndjson' };
    const refused = await screen(app, `${JSON.stringify(withPatient('p-one'))}\n`, { ...ndjson, asOf: tooLate() });
    expect(refused.statusCode).toBe(400);
    expect(issueOf(refused)).toMatchObject({ coding: 'PRESCREEN_FUTURE_ASOF' });
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);

    const lines = [JSON.stringify(asParameters(withPatient('p-one'), tooLate())), JSON.stringify(asParameters(withPatient('p-two'), CANDIDATE_AS_OF))];
    const response = await screen(app, `${lines.join('\n')}\n`, ndjson);
    expect(response.statusCode).toBe(200);
    const out = response.body.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(out.map((r) => r.resourceType)).toEqual(['OperationOutcome', 'ResearchSubject']);
    expect(out[0]!.issue[0]).toMatchObject({ code: 'value', details: { coding: [{ code: 'PRESCREEN_FUTURE_ASOF' }] }, diagnostics: 'NDJSON line 1' });
    expect((await store.searchSubjects({ count: 10, offset: 0 })).items.map((s) => s.patientRef)).toEqual(['Patient/p-two']);
  });
});

describe('$screen query parameters', () => {
  it('a misspelt asof is a 400 naming the parameters $screen takes, not a silent today', async () => {
    const { app, store } = await build();
    const response = await app.inject({
      method: 'POST',
      url: `${SCREEN_URL}?asof=${CANDIDATE_AS_OF}`,
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(candidateBundle()),
    });
    expect(response.statusCode).toBe(400);
    const issue = issueOf(response);
    expect(issue).toMatchObject({ code: 'not-supported', coding: 'PRESCREEN_UNKNOWN_PARAMETER' });
    expect(issue.text).toContain('$screen takes asOf (YYYY-MM-DD) and _format');
    expect(issue.text).toContain('did you mean asOf?');
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });

  it.each([['foo=1'], ['_pretty=true'], ['asOf=2026-10-26&patient=x']])('refuses %s without echoing it', async (query) => {
    const { app } = await build();
    const response = await app.inject({ method: 'POST', url: `${SCREEN_URL}?${query}`, headers: { 'content-type': 'application/fhir+json' }, payload: JSON.stringify(candidateBundle()) });
    expect(response.statusCode).toBe(400);
    expect(issueOf(response).coding).toBe('PRESCREEN_UNKNOWN_PARAMETER');
    expect(issueOf(response).text).not.toMatch(/foo|pretty|patient/);
  });

  it('takes asOf and _format', async () => {
    const { app } = await build();
    const response = await app.inject({
      method: 'POST',
      url: `${SCREEN_URL}?asOf=${CANDIDATE_AS_OF}&_format=json`,
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify(candidateBundle()),
    });
    expect(response.statusCode).toBe(200);
    expect(asOfOf(response.json() as Json)).toBe(CANDIDATE_AS_OF);
  });

  it('answers an unknown study 404 before looking at the query', async () => {
    const { app } = await build();
    const response = await app.inject({ method: 'POST', url: '/ResearchStudy/nope/$screen?asof=2026-10-26', headers: { 'content-type': 'application/fhir+json' }, payload: '{}' });
    expect(response.statusCode).toBe(404);
  });
});

describe('$screen for an earlier asOf than the stored result', () => {
  it('answers its own result and leaves the later one on the worklist; the same or a later asOf replaces it', async () => {
    const { app, store } = await build();
    const first = (await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF })).json() as Json;
    expect(first.meta).toMatchObject({ versionId: '1' });

    const earlierDay = addDays(CANDIDATE_AS_OF, -30);
    const earlier = await screen(app, candidateBundle(), { asOf: earlierDay });
    expect(earlier.statusCode).toBe(200);
    const answered = earlier.json() as Json;
    expect(answered.id).toBe(first.id);
    expect(asOfOf(answered)).toBe(earlierDay);
    expect(answered.meta?.versionId).toBeUndefined(); // not a stored version
    const kept = await store.getSubject(first.id as string);
    expect(kept?.asOf).toBe(CANDIDATE_AS_OF);
    expect(kept?.resource).toEqual(first);
    const worklist = await app.inject({ method: 'GET', url: `/ResearchSubject/${first.id}` });
    expect(asOfOf(worklist.json() as Json)).toBe(CANDIDATE_AS_OF);

    const again = (await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF })).json() as Json;
    expect(again.meta).toMatchObject({ versionId: '2' });
    const later = (await screen(app, candidateBundle(), { asOf: addDays(CANDIDATE_AS_OF, 1) })).json() as Json;
    expect(later.meta).toMatchObject({ versionId: '3' });
    expect((await store.getSubject(first.id as string))?.asOf).toBe(addDays(CANDIDATE_AS_OF, 1));
  });
});
