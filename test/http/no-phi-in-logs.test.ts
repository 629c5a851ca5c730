// style.md rule 15: run every path at LOG_LEVEL=trace, including bad bodies and a 500, and
// prove that no name, birthDate, identifier, patient id or free text reaches a log line.

import { describe, expect, it } from 'vitest';
import type { Store, StoredSubject } from '../../src/storage/store.js';
import { build } from '../helpers/build-app.js';
import { openTestStore } from '../helpers/test-store.js';
import { asParameters, candidateBundle, CANDIDATE_AS_OF, screen, type Json } from './fixtures.js';

const NAME_FAMILY = 'Quixotefield';
const NAME_GIVEN = 'Zebulon';
const IDENTIFIER = 'MRN-ZQ-998877';
const BIRTH_DATE = '1957-03-29';
const PATIENT_ID = 'zq-patient-4711';
const FREE_TEXT = 'tangerine-wallpaper-symptom';
const TOKEN = 'secret-bearer-token-abc';

const SECRETS = [NAME_FAMILY, NAME_GIVEN, IDENTIFIER, BIRTH_DATE, PATIENT_ID, FREE_TEXT, TOKEN];

function distinctiveBundle(): Json {
  const bundle = JSON.parse(JSON.stringify(candidateBundle()).replaceAll('example-pat', PATIENT_ID)) as Json;
  const patient = bundle.entry[0].resource;
  patient.name = [{ family: NAME_FAMILY, given: [NAME_GIVEN] }];
  patient.identifier = [{ system: 'https://ehr.example.org/identifiers/mrn', value: IDENTIFIER }];
  patient.birthDate = BIRTH_DATE;
  bundle.entry[1].resource.note = [{ text: `Patient mentions ${FREE_TEXT}` }];
  return bundle;
}

class ExplodingStore implements Store {
  constructor(private readonly inner: Store) {}
  get kind() {
    return this.inner.kind;
  }
  migrate() {
    return this.inner.migrate();
  }
  async upsertSubject(subject: Omit<StoredSubject, 'lastUpdated'>): Promise<StoredSubject> {
    // The worst case: an error whose message quotes patient data.
    throw new Error(`cannot store ${JSON.stringify(subject)} for ${NAME_GIVEN} ${NAME_FAMILY} ${IDENTIFIER} ${BIRTH_DATE}`);
  }
  async upsertSubjects(subjects: Omit<StoredSubject, 'lastUpdated'>[]): Promise<StoredSubject[]> {
    // $screen stores through here, per study and type-level alike.
    throw new Error(`cannot store ${JSON.stringify(subjects)} for ${NAME_GIVEN} ${NAME_FAMILY} ${IDENTIFIER} ${BIRTH_DATE}`);
  }
  async writeSubjects(): Promise<void> {
    throw new Error(`${NAME_FAMILY}`);
  }
  getSubject(id: string) {
    return this.inner.getSubject(id);
  }
  searchSubjects(query: Parameters<Store['searchSubjects']>[0]) {
    return this.inner.searchSubjects(query);
  }
  ping() {
    return this.inner.ping();
  }
  close() {
    return this.inner.close();
  }
}

function expectClean(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    for (const secret of SECRETS) expect(line, `a log line contains ${secret}`).not.toContain(secret);
  }
}

describe('no PHI in logs', () => {
  it('every transport, good and bad, logs no patient data at trace level', async () => {
    const { app, logs } = await build({ env: { LOG_LEVEL: 'trace' } });
    const auth = { authorization: `Bearer ${TOKEN}` };

    const good = await screen(app, distinctiveBundle(), { asOf: CANDIDATE_AS_OF, headers: auth });
    expect(good.statusCode).toBe(200);
    const subject = good.json() as Json;

    expect((await screen(app, asParameters(distinctiveBundle(), CANDIDATE_AS_OF), { headers: auth })).statusCode).toBe(200);

    const ndjson = await screen(app, `${JSON.stringify(distinctiveBundle())}\n{"name":"${NAME_FAMILY}"\n`, {
      contentType: 'application/fhir+ndjson',
      asOf: CANDIDATE_AS_OF,
    });
    expect(ndjson.statusCode).toBe(200);
    expect(ndjson.body.trim().split('\n')).toHaveLength(2);

    // Not JSON, with PHI at the point where parsing fails (JSON.parse would quote it).
    const notJson = await screen(app, `{"resourceType":"Bundle","name":"${NAME_FAMILY}" "${IDENTIFIER}"}`);
    expect(notJson.statusCode).toBe(400);

    const twoPatients = distinctiveBundle();
    twoPatients.entry.push({ resource: { resourceType: 'Patient', id: `${PATIENT_ID}-2`, name: [{ family: NAME_FAMILY }] } });
    expect((await screen(app, twoPatients, { asOf: CANDIDATE_AS_OF })).statusCode).toBe(422);

    // PHI in the query and the path: URLs are never logged.
    expect((await screen(app, distinctiveBundle(), { asOf: BIRTH_DATE })).statusCode).toBe(200);
    expect((await app.inject({ url: `/ResearchSubject?patient=${PATIENT_ID}&_format=json` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/ResearchSubject/${subject.id}` })).statusCode).toBe(200);
    expect((await app.inject({ url: `/Patient/${PATIENT_ID}?name=${NAME_FAMILY}` })).statusCode).toBe(404);
    expect((await app.inject({ url: `/ResearchSubject?_lastUpdated=ge${NAME_FAMILY}` })).statusCode).toBe(400);
    expect((await screen(app, distinctiveBundle(), { contentType: 'text/plain' })).statusCode).toBe(415);
    expect((await screen(app, distinctiveBundle(), { asOf: 'x' + BIRTH_DATE })).statusCode).toBe(400);

    expectClean(logs.lines);
    // The request lines are there, with method, route pattern and status.
    const completed = logs.records().filter((r) => r['msg'] === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(12);
    expect(completed[0]).toMatchObject({ method: 'POST', route: '/ResearchStudy/:study/$screen', statusCode: 200 });
    expect(completed[0]).toHaveProperty('reqId');
    expect(completed[0]).toHaveProperty('responseTime');
  });

  it('a forced 500 logs the error kind and stack frames, not its message', async () => {
    const inner = await openTestStore('pglite');
    const { app, logs } = await build({ env: { LOG_LEVEL: 'trace' }, store: new ExplodingStore(inner) });
    const response = await screen(app, distinctiveBundle(), { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(500);
    for (const secret of SECRETS) expect(response.body).not.toContain(secret);
    const everyStudy = await screen(app, distinctiveBundle(), { asOf: CANDIDATE_AS_OF, url: '/ResearchStudy/$screen' });
    expect(everyStudy.statusCode).toBe(500);
    for (const secret of SECRETS) expect(everyStudy.body).not.toContain(secret);

    const ndjson = await screen(app, `${JSON.stringify(distinctiveBundle())}\n`, {
      contentType: 'application/fhir+ndjson',
      asOf: CANDIDATE_AS_OF,
    });
    expect(ndjson.statusCode).toBe(200);
    expect((JSON.parse(ndjson.body) as Json).issue[0].code).toBe('exception');

    expectClean(logs.lines);
    const failure = logs.records().find((r) => r['msg'] === 'request failed');
    expect(failure).toMatchObject({ code: 'PRESCREEN_INTERNAL', err: { type: 'Error' } });
    expect(String((failure!['err'] as Json).stack)).toMatch(/at /);
  });
});
