// POST /ResearchStudy/$screen (issue 16 §1), over real HTTP: one patient against every study
// (or those named by study=a,b), answered as a collection Bundle whose every entry is what the
// per-study $screen answers, each stored as if screened alone, all or nothing for the patient.

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SqlStore } from '../../src/storage/sql-store.js';
import type { SqlConnection } from '../../src/storage/sql-connection.js';
import { typicalMyositisPatient } from '../../tools/cohort/typical-myositis-patient.js';
import { accessToken, AUDIENCE, bearer, ISSUER } from '../auth/helpers.js';
import { listen, type Listening } from '../cds-hooks/setup.js';
import { testStudies } from '../helpers/build-app.js';
import { makeKey, type TestKey } from '../helpers/cds-jwt.js';
import { NEEDS_POSTGRES, skipBecause } from '../helpers/skip.js';
import { findTestPostgres, openMigratedPgliteConnection, openTestStore, testPgConnection } from '../helpers/test-store.js';
import { r4Errors } from '../render/r4-validator.js';
import { asParameters, type Json } from './fixtures.js';

const FHIR_JSON = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
const NDJSON = { 'content-type': 'application/fhir+ndjson' };
const STUDIES = ['belimumab-iim', 'glp1-ckd'];
const EVERY = '/ResearchStudy/$screen';

function example(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')) as Json;
}

/** Each shipped example, the day it is screened on, and the status each study gives it then. */
const EXAMPLES: { file: string; asOf: string; status: Record<string, string> }[] = [
  { file: 'candidate-dm.json', asOf: '2026-10-26', status: { 'belimumab-iim': 'candidate', 'glp1-ckd': 'ineligible' } },
  { file: 'potential-candidate-pm.json', asOf: '2026-10-26', status: { 'belimumab-iim': 'potential-candidate', 'glp1-ckd': 'ineligible' } },
  { file: 'ineligible-rituximab.json', asOf: '2026-10-26', status: { 'belimumab-iim': 'ineligible', 'glp1-ckd': 'ineligible' } },
  { file: 'glp1-ckd-candidate.json', asOf: '2026-10-11', status: { 'belimumab-iim': 'ineligible', 'glp1-ckd': 'candidate' } },
];

async function json(response: Response): Promise<Json> {
  return (await response.json()) as Json;
}

async function storedTotal(app: Listening, study?: string): Promise<number> {
  return (await app.store.searchSubjects({ ...(study === undefined ? {} : { study }), count: 0, offset: 0 })).total;
}

/** A stored version's meta.lastUpdated is the time of its own write: equal in all but that. */
function withoutLastUpdated(resource: Json): Json {
  const { meta, ...rest } = resource;
  const { lastUpdated: _lastUpdated, ...keptMeta } = (meta ?? {}) as Json;
  return { ...rest, meta: keptMeta };
}

function outcomeOf(body: Json): { code: string; coding: string; text: string } {
  expect(body['resourceType']).toBe('OperationOutcome');
  const issue = body['issue'][0];
  expect(issue.severity).toBe('error');
  return { code: issue.code, coding: issue.details.coding[0].code, text: issue.details.text };
}

// What the first service of a file pays (compiling the studies' mappings, PGlite's initdb for
// the first store) is paid in a hook, so no test pays it inside its own time limit.
beforeAll(async () => {
  await testStudies();
  await (await openTestStore()).close();
});

describe('POST /ResearchStudy/$screen', () => {
  it('lists its studies in GET /ResearchStudy in the order the answers follow', async () => {
    const app = await listen();
    expect((await json(await app.get('/ResearchStudy', FHIR_JSON)))['entry'].map((e: Json) => e.resource.id)).toEqual(STUDIES);
  });

  it.each(EXAMPLES)('$file: a collection Bundle, one entry per study in order, each the per-study answer, stored and readable', async ({ file, asOf, status }) => {
    const every = await listen();
    // The per-study answers come from a service of their own, so neither write sees the other's row.
    const single = await listen();
    const response = await every.post(`${EVERY}?asOf=${asOf}`, example(file), FHIR_JSON);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    const bundle = await json(response);
    expect(r4Errors(bundle)).toEqual([]);
    expect(bundle['resourceType']).toBe('Bundle');
    expect(bundle['type']).toBe('collection');
    expect(bundle).not.toHaveProperty('total');
    const entries = bundle['entry'] as { fullUrl: string; resource: Json }[];
    expect(entries.map((e) => e.resource['study'].reference)).toEqual(STUDIES.map((id) => `ResearchStudy/${id}`));

    for (const [i, studyId] of STUDIES.entries()) {
      const { fullUrl, resource } = entries[i]!;
      expect(resource['status'], studyId).toBe(status[studyId]);
      const alone = await single.post(`/ResearchStudy/${studyId}/$screen?asOf=${asOf}`, example(file), FHIR_JSON);
      expect(alone.status).toBe(200);
      const aloneSubject = await json(alone);
      expect(resource['id']).toBe(aloneSubject['id']);
      expect(withoutLastUpdated(resource), studyId).toEqual(withoutLastUpdated(aloneSubject));
      expect(resource['meta'].versionId).toBe('1');

      expect(fullUrl).toBe(`${every.url}/ResearchSubject/${resource['id']}`);
      const read = await every.get(`/ResearchSubject/${resource['id']}`, FHIR_JSON);
      expect(read.status).toBe(200);
      expect(await json(read)).toEqual(resource);
    }
    expect(await storedTotal(every)).toBe(STUDIES.length);
  });

  it('takes a Parameters body with bundle and asOf, as the per-study route does', async () => {
    const app = await listen();
    const parameters = example('candidate-dm.parameters.json');
    const asOf = (parameters['parameter'] as Json[]).find((p) => p.name === 'asOf')!.valueDate as string;
    const response = await app.post(EVERY, parameters, FHIR_JSON);
    expect(response.status).toBe(200);
    const entries = (await json(response))['entry'] as { resource: Json }[];
    expect(entries).toHaveLength(STUDIES.length);
    for (const { resource } of entries) {
      expect(resource['extension'][0].extension[0]).toEqual({ url: 'asOf', valueDate: asOf });
    }
    expect(entries[0]!.resource['status']).toBe('candidate');
  });

  it('a screening of an earlier asOf answers its own results and leaves the later stored ones, per study', async () => {
    const app = await listen();
    const later = await app.post(`${EVERY}?asOf=2026-11-24`, example('candidate-dm.json'), FHIR_JSON);
    expect(later.status).toBe(200);
    const earlier = await app.post(`${EVERY}?asOf=2026-10-26`, example('candidate-dm.json'), FHIR_JSON);
    expect(earlier.status).toBe(200);
    for (const { resource } of (await json(earlier))['entry'] as { resource: Json }[]) {
      expect(resource['extension'][0].extension[0].valueDate).toBe('2026-10-26');
      // This screening's own result, without a stored version's meta, as the per-study route answers.
      expect(resource).not.toHaveProperty('meta');
      const stored = await json(await app.get(`/ResearchSubject/${resource['id']}`, FHIR_JSON));
      expect(stored['extension'][0].extension[0].valueDate).toBe('2026-11-24');
    }
  });

  it('screens only the studies study= names, answered in GET /ResearchStudy order; the others are not stored', async () => {
    const app = await listen();
    const one = await app.post(`${EVERY}?asOf=2026-10-11&study=glp1-ckd`, example('glp1-ckd-candidate.json'), FHIR_JSON);
    expect(one.status).toBe(200);
    const oneEntries = (await json(one))['entry'] as { resource: Json }[];
    expect(oneEntries.map((e) => e.resource['study'].reference)).toEqual(['ResearchStudy/glp1-ckd']);
    expect(await storedTotal(app, 'glp1-ckd')).toBe(1);
    expect(await storedTotal(app, 'belimumab-iim')).toBe(0);

    for (const query of ['study=glp1-ckd,belimumab-iim', 'study=ResearchStudy/glp1-ckd,%20belimumab-iim']) {
      const both = await app.post(`${EVERY}?asOf=2026-10-11&${query}`, example('glp1-ckd-candidate.json'), FHIR_JSON);
      expect(both.status, query).toBe(200);
      const entries = (await json(both))['entry'] as { resource: Json }[];
      expect(entries.map((e) => e.resource['study'].reference), query).toEqual(STUDIES.map((s) => `ResearchStudy/${s}`));
    }
    expect(await storedTotal(app)).toBe(2);
  });

  it('refuses an unknown study (404 listing the studies), an empty or repeated one (400), before reading the body; nothing stored', async () => {
    const app = await listen();
    const body = example('candidate-dm.json');
    const unknown = await app.post(`${EVERY}?asOf=2026-10-26&study=glp1-ckd,nosuch-trial`, body, FHIR_JSON);
    expect(unknown.status).toBe(404);
    const notFound = outcomeOf(await json(unknown));
    expect(notFound).toMatchObject({ code: 'not-found', coding: 'PRESCREEN_UNKNOWN_STUDY' });
    expect(notFound.text).toContain('Studies screened here: belimumab-iim, glp1-ckd.');
    expect(notFound.text).not.toContain('nosuch');

    const cases: [string, RegExp][] = [
      ['study=', /A study id is empty/],
      ['study=glp1-ckd,,belimumab-iim', /A study id is empty/],
      ['study=glp1-ckd,', /A study id is empty/],
      ['study=glp1-ckd,glp1-ckd', /Study glp1-ckd is named twice/],
      ['study=glp1-ckd,ResearchStudy/glp1-ckd', /Study glp1-ckd is named twice/],
      ['study=glp1-ckd&study=belimumab-iim', /Give it once/],
    ];
    for (const [query, text] of cases) {
      const response = await app.post(`${EVERY}?asOf=2026-10-26&${query}`, body, FHIR_JSON);
      expect(response.status, query).toBe(400);
      const issue = outcomeOf(await json(response));
      expect(issue, query).toMatchObject({ code: 'value', coding: 'PRESCREEN_BAD_QUERY' });
      expect(issue.text, query).toMatch(text);
    }
    // A misspelt parameter is a 400 that names the ones this route takes, never a silent default.
    const misspelt = await app.post(`${EVERY}?Study=glp1-ckd`, body, FHIR_JSON);
    expect(misspelt.status).toBe(400);
    const issue = outcomeOf(await json(misspelt));
    expect(issue.coding).toBe('PRESCREEN_UNKNOWN_PARAMETER');
    expect(issue.text).toContain('did you mean study?');
    // The study list is checked before the body is read: a bad body still gets the 404.
    expect((await app.post(`${EVERY}?study=nosuch`, 'not json', FHIR_JSON)).status).toBe(404);
    expect(await storedTotal(app)).toBe(0);
  });

  it('a bad body is the per-study route\'s error, and nothing is stored for any study', async () => {
    const app = await listen();
    const noPatient = example('candidate-dm.json');
    noPatient['entry'] = (noPatient['entry'] as Json[]).filter((e) => e.resource.resourceType !== 'Patient');
    const cases: { name: string; body: unknown; query?: string; headers?: Record<string, string>; status: number; code: string }[] = [
      { name: 'not JSON', body: '{"resourceType": "Bundle",', status: 400, code: 'invalid' },
      { name: 'not a Bundle', body: { resourceType: 'Observation' }, status: 400, code: 'structure' },
      { name: 'bad Parameters', body: { resourceType: 'Parameters', parameter: [{ name: 'study', valueString: 'glp1-ckd' }] }, status: 400, code: 'structure' },
      { name: 'asOf conflict', body: asParameters(example('candidate-dm.json'), '2026-10-26'), query: 'asOf=2026-10-25', status: 400, code: 'value' },
      { name: 'bad asOf', body: example('candidate-dm.json'), query: 'asOf=2026-13-01', status: 400, code: 'value' },
      { name: 'no Patient', body: noPatient, status: 422, code: 'business-rule' },
      { name: 'wrong Content-Type', body: example('candidate-dm.json'), headers: { 'content-type': 'text/plain' }, status: 415, code: 'not-supported' },
      { name: 'no JSON in Accept', body: example('candidate-dm.json'), headers: { accept: 'text/html' }, status: 406, code: 'not-supported' },
    ];
    for (const c of cases) {
      const response = await app.post(`${EVERY}${c.query === undefined ? '' : `?${c.query}`}`, c.body, { ...FHIR_JSON, ...c.headers });
      expect(response.status, c.name).toBe(c.status);
      expect(outcomeOf(await json(response)).code, c.name).toBe(c.code);
    }
    expect(await storedTotal(app)).toBe(0);
  });

  it('NDJSON: one Bundle per line out, in order; a bad line gets an OperationOutcome and the rest go on', async () => {
    const app = await listen();
    const noPatient = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'x' } } }] };
    const lines = [
      JSON.stringify(example('candidate-dm.json')),
      '{"resourceType": "Bundle",',
      JSON.stringify(noPatient),
      JSON.stringify(example('potential-candidate-pm.json')),
    ];
    const response = await app.post(`${EVERY}?asOf=2026-10-26`, `${lines.join('\n')}\n`, NDJSON);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/fhir+ndjson');
    const out = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(out.map((o) => o['resourceType'])).toEqual(['Bundle', 'OperationOutcome', 'OperationOutcome', 'Bundle']);
    expect(outcomeOf(out[1]!).code).toBe('invalid');
    expect(out[1]!['issue'][0].diagnostics).toBe('NDJSON line 2');
    expect(outcomeOf(out[2]!).code).toBe('business-rule');
    expect(out[2]!['issue'][0].diagnostics).toBe('NDJSON line 3');

    // Each line's Bundle is what the JSON form answers for that patient, every result stored.
    const statuses = [EXAMPLES[0]!.status, EXAMPLES[1]!.status];
    for (const [k, bundle] of [out[0]!, out[3]!].entries()) {
      expect(bundle['type']).toBe('collection');
      const entries = bundle['entry'] as { fullUrl: string; resource: Json }[];
      expect(entries.map((e) => e.resource['study'].reference)).toEqual(STUDIES.map((s) => `ResearchStudy/${s}`));
      for (const { fullUrl, resource } of entries) {
        expect(resource['status']).toBe(statuses[k]![resource['study'].reference.split('/')[1]]);
        expect(fullUrl).toBe(`${app.url}/ResearchSubject/${resource['id']}`);
        expect(await json(await app.get(`/ResearchSubject/${resource['id']}`, FHIR_JSON))).toEqual(resource);
      }
    }
    expect(await storedTotal(app)).toBe(2 * STUDIES.length);
  });

  it('past SCREEN_TIMEOUT_MS answers 503 timeout and stores nothing for any study', async () => {
    const app = await listen({ SCREEN_TIMEOUT_MS: '1' });
    // A ~300-resource patient takes several milliseconds to screen, so a 1 ms deadline is always past.
    const response = await app.post(EVERY, typicalMyositisPatient(1), FHIR_JSON);
    expect(response.status).toBe(503);
    expect(outcomeOf(await json(response))).toMatchObject({ code: 'timeout', coding: 'PRESCREEN_TIMEOUT' });
    expect(await storedTotal(app)).toBe(0);
  });

  it('writes one audit row per study, each naming that study and the patient', async () => {
    const app = await listen();
    expect((await app.post(`${EVERY}?asOf=2026-10-26`, example('candidate-dm.json'), FHIR_JSON)).status).toBe(200);
    const rows = (await app.store.audit!.search({ subtype: ['screen'], count: 10, offset: 0 })).items;
    expect(rows.map((r) => r.target).sort()).toEqual(STUDIES.map((s) => `ResearchStudy/${s}`));
    for (const row of rows) expect(row).toMatchObject({ outcome: '0', httpStatus: 200, patientRefs: ['Patient/example-pat'], action: 'E' });
    expect(new Set(rows.map((r) => r.requestId)).size).toBe(1);

    // Refused for an unknown study: one row, naming no study.
    expect((await app.post(`${EVERY}?study=nosuch`, example('candidate-dm.json'), FHIR_JSON)).status).toBe(404);
    const refused = (await app.store.audit!.search({ subtype: ['screen'], count: 10, offset: 0 })).items.filter((r) => r.httpStatus === 404);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ outcome: '4', patientRefs: [] });
    expect(refused[0]!.target).toBeUndefined();

    // NDJSON: a row per line and study, the bad line's too.
    const ndjson = await app.post(`${EVERY}?asOf=2026-10-26&study=glp1-ckd`, `${JSON.stringify(example('candidate-dm.json'))}\nnot json\n`, NDJSON);
    expect(ndjson.status).toBe(200);
    await ndjson.text();
    const lines = (await app.store.audit!.search({ subtype: ['screen-ndjson'], count: 10, offset: 0 })).items;
    expect(lines.map((r) => [r.line, r.target, r.outcome, r.patientRefs]).sort()).toEqual([
      [1, 'ResearchStudy/glp1-ckd', '0', ['Patient/example-pat']],
      [2, 'ResearchStudy/glp1-ckd', '4', []],
    ]);
  });
});

const postgres = (await findTestPostgres())?.databaseUrl;

/**
 * A service whose database really refuses every glp1-ckd row (a CHECK constraint), so the
 * belimumab-iim row, written in the same transaction, must not stay either.
 */
async function refusingGlp1(connection: SqlConnection): Promise<Listening> {
  const store = new SqlStore(connection);
  await store.migrate();
  await connection.exec(`ALTER TABLE research_subject ADD CONSTRAINT refuse_glp1 CHECK (study_id <> 'glp1-ckd')`);
  return listen({}, { store });
}

async function expectNothingStored(app: Listening): Promise<void> {
  const response = await app.post(`${EVERY}?asOf=2026-10-26`, example('candidate-dm.json'), FHIR_JSON);
  expect(response.status).toBe(500);
  expect(outcomeOf(await json(response))).toMatchObject({ code: 'exception', coding: 'PRESCREEN_INTERNAL' });
  expect(await storedTotal(app)).toBe(0);

  const ndjson = await app.post(`${EVERY}?asOf=2026-10-26`, `${JSON.stringify(example('candidate-dm.json'))}\n`, NDJSON);
  expect(ndjson.status).toBe(200);
  expect(outcomeOf(JSON.parse(await ndjson.text()) as Json).code).toBe('exception');
  expect(await storedTotal(app)).toBe(0);

  // The study the database accepts is stored when screened alone: the refusal was the other's.
  expect((await app.post(`${EVERY}?asOf=2026-10-26&study=belimumab-iim`, example('candidate-dm.json'), FHIR_JSON)).status).toBe(200);
  expect(await storedTotal(app, 'belimumab-iim')).toBe(1);
}

describe('POST /ResearchStudy/$screen when one study\'s result cannot be stored', () => {
  // Builds the migrated PGlite snapshot once, in a hook: initdb is the slow part.
  beforeAll(async () => {
    await (await openMigratedPgliteConnection()).close();
  });

  it('stores nothing for the patient, for any study (PGlite)', async () => {
    await expectNothingStored(await refusingGlp1(await openMigratedPgliteConnection()));
  });

  it.skipIf(skipBecause(postgres === undefined, NEEDS_POSTGRES))('stores nothing for the patient, for any study (PostgreSQL)', async () => {
    await expectNothingStored(await refusingGlp1(await testPgConnection(postgres!)));
  });
});

describe('POST /ResearchStudy/$screen with authentication on', () => {
  let key: TestKey;
  beforeAll(async () => {
    key = await makeKey('ES384');
  });

  it('needs the scope the per-study $screen needs', async () => {
    const app = await listen({ AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_PUBLIC_KEY: key.publicPem, RATE_LIMIT_AUTH_FAILURES: '1000' });
    const url = `${EVERY}?asOf=2026-10-26`;
    const none = await app.post(url, example('candidate-dm.json'), FHIR_JSON);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    for (const scope of ['system/ResearchSubject.read', 'system/ResearchStudy.read']) {
      const token = await accessToken(key, { scope });
      expect((await app.post(url, example('candidate-dm.json'), { ...FHIR_JSON, ...bearer(token) })).status, scope).toBe(403);
    }
    for (const scope of ['system/ResearchSubject.write', 'system/ResearchSubject.cu']) {
      const token = await accessToken(key, { scope });
      expect((await app.post(url, example('candidate-dm.json'), { ...FHIR_JSON, ...bearer(token) })).status, scope).toBe(200);
    }
    expect(await storedTotal(app)).toBe(STUDIES.length);
  });
});
