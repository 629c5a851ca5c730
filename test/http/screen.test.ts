import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { renderResearchSubject } from '../../src/render/research-subject.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { build } from '../helpers/build-app.js';
import { r4Errors } from '../render/r4-validator.js';
import {
  asParameters,
  candidateBundle,
  CANDIDATE_AS_OF,
  criterionResults,
  issueOf,
  screen,
  SCREEN_URL,
  type Json,
} from './fixtures.js';

describe('POST /ResearchStudy/{study}/$screen', () => {
  it('screens a Bundle: 200, a bare valid ResearchSubject, stored before the answer', async () => {
    const { app, store } = await build();
    const response = await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const subject = response.json() as Json;
    expect(subject.resourceType).toBe('ResearchSubject');
    expect(subject.id).toMatch(/^[A-Za-z0-9\-.]{1,64}$/);
    expect(subject.study).toEqual({ reference: 'ResearchStudy/belimumab-iim' });
    expect(subject.individual).toEqual({ reference: 'Patient/example-pat' });
    expect(['candidate', 'potential-candidate', 'ineligible']).toContain(subject.status);
    expect(r4Errors(subject)).toEqual([]);

    const evaluation = subject.extension[0];
    expect(evaluation.url).toBe('https://fhir-prescreen.org/StructureDefinition/eligibility-evaluation');
    expect(evaluation.extension[0]).toEqual({ url: 'asOf', valueDate: CANDIDATE_AS_OF });
    const ids = (evaluation.extension as Json[]).filter((e) => e.url === 'criterion').map((c) => c.extension[0].valueCode);
    expect(ids).toEqual(app.studies.get('belimumab-iim')!.criteria.map((c) => c.id));

    const stored = await store.getSubject(subject.id);
    expect(stored?.resource).toEqual(subject);
    expect(stored?.asOf).toBe(CANDIDATE_AS_OF);
  });

  it('accepts the $ percent-encoded', async () => {
    const { app } = await build();
    const response = await screen(app, candidateBundle(), {
      asOf: CANDIDATE_AS_OF,
      url: '/ResearchStudy/belimumab-iim/%24screen',
    });
    expect(response.statusCode).toBe(200);
  });

  it('accepts application/json and a content type with parameters', async () => {
    const { app } = await build();
    for (const contentType of ['application/json', 'application/fhir+json; fhirVersion=4.0; charset=utf-8']) {
      const response = await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF, contentType });
      expect(response.statusCode, contentType).toBe(200);
    }
  });

  it('defaults asOf to today in UTC', async () => {
    const { app } = await build();
    const before = new Date().toISOString().slice(0, 10);
    const subject = (await screen(app, candidateBundle())).json() as Json;
    const after = new Date().toISOString().slice(0, 10);
    expect([before, after]).toContain(subject.extension[0].extension[0].valueDate);
  });

  it('takes asOf from Parameters, and agrees with an equal query asOf', async () => {
    const { app } = await build();
    const fromParameters = (await screen(app, asParameters(candidateBundle(), '2026-01-15'))).json() as Json;
    expect(fromParameters.extension[0].extension[0]).toEqual({ url: 'asOf', valueDate: '2026-01-15' });
    const both = await screen(app, asParameters(candidateBundle(), '2026-01-15'), { asOf: '2026-01-15' });
    expect(both.statusCode).toBe(200);
  });

  it('gives the same per-criterion results for a Bundle, Parameters and one NDJSON line', async () => {
    const { app } = await build();
    const viaBundle = (await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF })).json() as Json;
    const viaParameters = (await screen(app, asParameters(candidateBundle(), CANDIDATE_AS_OF))).json() as Json;
    const ndjson = await screen(app, `${JSON.stringify(candidateBundle())}\n`, {
      asOf: CANDIDATE_AS_OF,
      contentType: 'application/fhir+ndjson',
    });
    expect(ndjson.statusCode).toBe(200);
    const viaNdjson = JSON.parse(ndjson.body.trim()) as Json;
    expect(criterionResults(viaParameters)).toEqual(criterionResults(viaBundle));
    expect(criterionResults(viaNdjson)).toEqual(criterionResults(viaBundle));
    const strip = (s: Json) => ({ ...s, meta: undefined });
    expect(strip(viaParameters)).toEqual(strip(viaBundle));
    expect(strip(viaNdjson)).toEqual(strip(viaBundle));
  });

  it('replaces the earlier result for the same study and patient', async () => {
    const { app, store } = await build();
    const first = (await screen(app, candidateBundle(), { asOf: '2026-01-01' })).json() as Json;
    const second = (await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF })).json() as Json;
    expect(second.id).toBe(first.id);
    const all = await store.searchSubjects({ count: 10, offset: 0 });
    expect(all.total).toBe(1);
    expect(all.items[0]!.asOf).toBe(CANDIDATE_AS_OF);
  });

  it('round-trips: $screen, then GET /ResearchSubject/{id} and the search give the same resource', async () => {
    const { app } = await build();
    const subject = (await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF })).json() as Json;
    const read = await app.inject({ url: `/ResearchSubject/${subject.id}` });
    expect(read.statusCode).toBe(200);
    expect(read.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    expect(read.json()).toEqual(subject);
    const search = await app.inject({ url: '/ResearchSubject?study=belimumab-iim&patient=example-pat' });
    const bundle = search.json() as Json;
    expect(bundle.total).toBe(1);
    expect(bundle.entry[0].resource).toEqual(subject);
  });

  it('a full resource comes back unchanged, with every extension and nested field', async () => {
    const { app, config } = await build();
    const response = await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF });
    const subject = response.json() as Json;
    // The body is what screening rendered, and only that: nothing dropped, added or changed by
    // storing it or by the reply's serializer. meta is the store's (when it was written).
    const evaluation = screenPatient(app.studies.get('belimumab-iim')!, buildPatientRecord(candidateBundle()), CANDIDATE_AS_OF);
    const rendered = JSON.parse(JSON.stringify(renderResearchSubject(evaluation, { canonicalBase: config.canonicalBase }))) as Json;
    const { meta, ...body } = subject;
    expect(body).toStrictEqual(rendered);
    expect(Object.keys(meta as Json)).toContain('lastUpdated');
    const read = await app.inject({ url: `/ResearchSubject/${subject.id}` });
    // jsonb may reorder keys; the content must be identical.
    expect(read.json()).toStrictEqual(subject);
    const criterionParts = (subject.extension[0].extension as Json[])
      .filter((e) => e.url === 'criterion')
      .flatMap((c) => (c.extension as Json[]).map((p) => p.url));
    expect(criterionParts).toContain('reason');
    expect(criterionParts).toContain('evidence');
  });

  it('never answers eligible or screening', async () => {
    const { app } = await build();
    const subject = (await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF })).json() as Json;
    expect(JSON.stringify(subject)).not.toMatch(/"(eligible|screening)"/);
  });
});

describe('POST $screen with application/fhir+ndjson', () => {
  function withPatient(id: string): Json {
    const bundle = candidateBundle();
    const text = JSON.stringify(bundle).replaceAll('example-pat', id);
    return JSON.parse(text) as Json;
  }

  it('streams one line per input line, in order; a bad line gets an OperationOutcome and the rest go on', async () => {
    const { app, store } = await build();
    const lines = [
      JSON.stringify(withPatient('p-one')),
      '',
      '{ not json',
      JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [] }),
      JSON.stringify(withPatient('p-two')),
    ];
    const response = await screen(app, `${lines.join('\r\n')}\n`, {
      asOf: CANDIDATE_AS_OF,
      contentType: 'application/fhir+ndjson',
      headers: { accept: 'application/fhir+ndjson' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+ndjson/);
    const out = response.body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Json);
    expect(out.map((r) => r.resourceType)).toEqual(['ResearchSubject', 'OperationOutcome', 'OperationOutcome', 'ResearchSubject']);
    expect(out[0]!.individual.reference).toBe('Patient/p-one');
    expect(out[1]!.issue[0]).toMatchObject({ code: 'invalid', details: { coding: [{ code: 'PRESCREEN_NOT_JSON' }] }, diagnostics: 'NDJSON line 3' });
    expect(out[2]!.issue[0]).toMatchObject({ code: 'business-rule', details: { coding: [{ code: 'PRESCREEN_NO_PATIENT' }] }, diagnostics: 'NDJSON line 4' });
    expect(out[3]!.individual.reference).toBe('Patient/p-two');
    const stored = await store.searchSubjects({ count: 10, offset: 0 });
    expect(stored.items.map((s) => s.patientRef).sort()).toEqual(['Patient/p-one', 'Patient/p-two']);
  });

  it('answers a too-long line with too-long and goes on', async () => {
    const { app } = await build({ env: { BODY_LIMIT: '1024' } });
    const long = JSON.stringify({ resourceType: 'Bundle', type: 'collection', pad: 'x'.repeat(5000) });
    const small = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'tiny', birthDate: '1970-01-01', gender: 'female' } }],
    });
    const response = await screen(app, `${long}\n${small}\n`, { contentType: 'application/fhir+ndjson', asOf: CANDIDATE_AS_OF });
    const out = response.body.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(out[0]!.issue[0]).toMatchObject({ code: 'too-long', details: { coding: [{ code: 'PRESCREEN_LINE_TOO_LONG' }] } });
    expect(out[1]!.resourceType).toBe('ResearchSubject');
  });

  it('stops after NDJSON_MAX_LINES with a too-costly line', async () => {
    const { app, store } = await build({ env: { NDJSON_MAX_LINES: '2' } });
    const lines = ['a', 'b', 'c'].map((id) => JSON.stringify(withPatient(id)));
    const response = await screen(app, `${lines.join('\n')}\n`, { contentType: 'application/fhir+ndjson', asOf: CANDIDATE_AS_OF });
    const out = response.body.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(out.map((r) => r.resourceType)).toEqual(['ResearchSubject', 'ResearchSubject', 'OperationOutcome']);
    expect(out[2]!.issue[0]).toMatchObject({ code: 'too-costly', details: { coding: [{ code: 'PRESCREEN_TOO_MANY_LINES' }] } });
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(2);
  });

  it('answers a bad query asOf with a plain 400 before streaming', async () => {
    const { app } = await build();
    const response = await screen(app, `${JSON.stringify(withPatient('x'))}\n`, {
      contentType: 'application/fhir+ndjson',
      asOf: '2026-13-01',
    });
    expect(response.statusCode).toBe(400);
    expect(issueOf(response)).toMatchObject({ code: 'value', coding: 'PRESCREEN_BAD_ASOF' });
  });

  it('is not accepted on other routes', async () => {
    const { app } = await build();
    const response = await app.inject({
      method: 'POST',
      url: '/ResearchSubject',
      headers: { 'content-type': 'application/fhir+ndjson' },
      payload: '{}\n',
    });
    expect([404, 415]).toContain(response.statusCode);
  });

  it('an empty body streams nothing', async () => {
    const { app } = await build();
    const response = await screen(app, '', { contentType: 'application/fhir+ndjson', asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });
});

describe('routing', () => {
  it('has the $screen route at the documented path', async () => {
    const { app } = await build();
    expect(app.hasRoute({ method: 'POST', url: '/ResearchStudy/:study/$screen' })).toBe(true);
    expect(SCREEN_URL).toBe('/ResearchStudy/belimumab-iim/$screen');
  });
});
