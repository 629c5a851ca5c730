// Every error row of api.md and standards.md §1 that this transport answers: status, issue
// code, PRESCREEN_* code and expression; and a failed request stores nothing.

import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Store, StoredSubject } from '../../src/storage/store.js';
import { build } from '../helpers/build-app.js';
import { openTestStore } from '../helpers/test-store.js';
import { asParameters, candidateBundle, CANDIDATE_AS_OF, issueOf, screen, type Json } from './fixtures.js';

async function storedCount(store: Store): Promise<number> {
  return (await store.searchSubjects({ count: 1, offset: 0 })).total;
}

function secondPatient(bundle: Json): Json {
  bundle.entry.push({ fullUrl: 'https://ehr.example.org/fhir/Patient/other', resource: { resourceType: 'Patient', id: 'other' } });
  return bundle;
}

interface Row {
  name: string;
  send: (app: FastifyInstance) => Promise<LightMyRequestResponse>;
  status: number;
  code: string;
  coding: string;
  expression?: string;
  /** What the text must say: an error names what would be right (the limit, the valid values). */
  text?: RegExp;
  env?: Record<string, string>;
}

const rows: Row[] = [
  {
    name: 'body is not JSON',
    send: (app) => screen(app, '{"resourceType": "Bundle",'),
    status: 400,
    code: 'invalid',
    coding: 'PRESCREEN_NOT_JSON',
  },
  {
    name: 'empty JSON body',
    send: (app) => screen(app, ''),
    status: 400,
    code: 'invalid',
    coding: 'PRESCREEN_NOT_JSON',
  },
  {
    name: 'JSON that is not a Bundle or Parameters',
    send: (app) => screen(app, { resourceType: 'Patient', id: 'x' }),
    status: 400,
    code: 'structure',
    coding: 'PRESCREEN_NOT_BUNDLE',
  },
  {
    name: 'a JSON array',
    send: (app) => screen(app, '[1,2,3]'),
    status: 400,
    code: 'structure',
    coding: 'PRESCREEN_NOT_BUNDLE',
  },
  {
    name: 'Parameters with an unknown parameter',
    send: (app) => {
      const p = asParameters(candidateBundle());
      p.parameter.push({ name: 'color', valueString: 'red' });
      return screen(app, p);
    },
    status: 400,
    code: 'structure',
    coding: 'PRESCREEN_BAD_PARAMETERS',
    expression: 'Parameters.parameter[1]',
  },
  {
    name: 'Parameters with a repeated bundle',
    send: (app) => {
      const p = asParameters(candidateBundle());
      p.parameter.push({ name: 'bundle', resource: candidateBundle() });
      return screen(app, p);
    },
    status: 400,
    code: 'structure',
    coding: 'PRESCREEN_BAD_PARAMETERS',
    expression: 'Parameters.parameter[1]',
  },
  {
    name: 'Parameters with both a value and a resource [inv-1]',
    send: (app) => {
      const p = asParameters(candidateBundle());
      p.parameter[0].valueString = 'x';
      return screen(app, p);
    },
    status: 400,
    code: 'structure',
    coding: 'PRESCREEN_BAD_PARAMETERS',
    expression: 'Parameters.parameter[0]',
  },
  {
    name: 'bad asOf in the query',
    send: (app) => screen(app, candidateBundle(), { asOf: '2026-02-30' }),
    status: 400,
    code: 'value',
    coding: 'PRESCREEN_BAD_ASOF',
  },
  {
    name: 'bad asOf in Parameters',
    send: (app) => screen(app, asParameters(candidateBundle(), '26 Oct 2026')),
    status: 400,
    code: 'value',
    coding: 'PRESCREEN_BAD_ASOF',
    expression: 'Parameters.parameter[1].valueDate',
  },
  {
    name: 'query asOf differs from the Parameters asOf',
    send: (app) => screen(app, asParameters(candidateBundle(), '2026-01-01'), { asOf: '2026-01-02' }),
    status: 400,
    code: 'value',
    coding: 'PRESCREEN_ASOF_CONFLICT',
    expression: 'Parameters.parameter[1].valueDate',
  },
  {
    name: 'Bundle with no Patient',
    send: (app) => screen(app, { resourceType: 'Bundle', type: 'collection', entry: [] }),
    status: 422,
    code: 'business-rule',
    coding: 'PRESCREEN_NO_PATIENT',
    expression: 'Bundle.entry',
  },
  {
    name: 'Bundle with two patients',
    send: (app) => screen(app, secondPatient(candidateBundle())),
    status: 422,
    code: 'business-rule',
    coding: 'PRESCREEN_MULTIPLE_PATIENTS',
    expression: 'Bundle.entry[21].resource',
  },
  {
    name: 'a resource of another patient',
    send: (app) => {
      const b = candidateBundle();
      b.entry[1].resource.subject = { reference: 'Patient/someone-else' };
      return screen(app, b);
    },
    status: 422,
    code: 'business-rule',
    coding: 'PRESCREEN_FOREIGN_RECORD',
    expression: 'Bundle.entry[1].resource.subject',
  },
  {
    name: 'conflicting duplicates',
    send: (app) => {
      const b = candidateBundle();
      const copy = structuredClone(b.entry[1]);
      copy.resource.recordedDate = '2001-01-01';
      b.entry.push(copy);
      return screen(app, b);
    },
    status: 422,
    code: 'business-rule',
    coding: 'PRESCREEN_CONFLICTING_DUPLICATE',
  },
  {
    name: 'unknown study',
    send: (app) => screen(app, candidateBundle(), { url: '/ResearchStudy/no-such-study/$screen' }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_UNKNOWN_STUDY',
    text: /Studies screened here: belimumab-iim, glp1-ckd\.$/,
  },
  {
    name: 'unknown ResearchSubject',
    send: (app) => app.inject({ url: '/ResearchSubject/0000000000' }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_NOT_FOUND',
  },
  {
    name: 'a ResearchSubject id that cannot exist',
    send: (app) => app.inject({ url: `/ResearchSubject/${'x'.repeat(65)}` }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_NOT_FOUND',
  },
  {
    name: 'unknown ResearchStudy',
    send: (app) => app.inject({ url: '/ResearchStudy/no-such-study' }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_UNKNOWN_STUDY',
    text: /Studies screened here: belimumab-iim, glp1-ckd\.$/,
  },
  {
    name: 'unknown OperationDefinition',
    send: (app) => app.inject({ url: '/OperationDefinition/nope' }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_NOT_FOUND',
  },
  {
    name: 'unknown route',
    send: (app) => app.inject({ url: '/Patient/1' }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_ROUTE_NOT_FOUND',
  },
  {
    name: 'body over the limit',
    send: (app) => screen(app, `{"resourceType":"Bundle","pad":"${'x'.repeat(20_000)}"}`),
    env: { BODY_LIMIT: '16384' },
    status: 413,
    code: 'too-long',
    coding: 'PRESCREEN_TOO_LARGE',
    text: /The limit is 16384 bytes \(setting BODY_LIMIT\)\.$/,
  },
  {
    name: 'more entries than MAX_ENTRIES',
    send: (app) => {
      const b = candidateBundle();
      for (let i = 0; i < 30; i++) b.entry.push({ request: { method: 'DELETE', url: `Observation/${i}` } });
      return screen(app, b);
    },
    status: 413,
    code: 'too-costly',
    coding: 'PRESCREEN_TOO_MANY_ENTRIES',
    text: /The limit is 40 entries \(setting MAX_ENTRIES\)\.$/,
  },
  {
    name: 'unsupported media type',
    send: (app) => screen(app, '<Bundle/>', { contentType: 'application/fhir+xml' }),
    status: 415,
    code: 'not-supported',
    coding: 'PRESCREEN_UNSUPPORTED_MEDIA',
  },
  {
    name: 'text/plain body',
    send: (app) => screen(app, JSON.stringify(candidateBundle()), { contentType: 'text/plain' }),
    status: 415,
    code: 'not-supported',
    coding: 'PRESCREEN_UNSUPPORTED_MEDIA',
  },
  {
    name: 'an Accept with no JSON type',
    send: (app) => screen(app, candidateBundle(), { headers: { accept: 'application/fhir+xml' } }),
    status: 406,
    code: 'not-supported',
    coding: 'PRESCREEN_NOT_ACCEPTABLE',
  },
  {
    name: '_format=xml',
    send: (app) => app.inject({ url: '/metadata?_format=xml' }),
    status: 406,
    code: 'not-supported',
    coding: 'PRESCREEN_NOT_ACCEPTABLE',
  },
  {
    name: 'a bad search parameter',
    send: (app) => app.inject({ url: '/ResearchSubject?_count=many' }),
    status: 400,
    code: 'value',
    coding: 'PRESCREEN_BAD_QUERY',
  },
  {
    name: 'a worklist status the service never answers',
    send: (app) => app.inject({ url: '/ResearchSubject?status=eligible' }),
    status: 400,
    code: 'value',
    coding: 'PRESCREEN_BAD_QUERY',
    text: /Valid statuses: candidate, potential-candidate, ineligible\.$/,
  },
  {
    name: 'an unknown study on the worklist page API',
    send: (app) => app.inject({ url: '/app/api/studies/no-such-study/runs' }),
    status: 404,
    code: 'not-found',
    coding: 'PRESCREEN_UNKNOWN_STUDY',
    text: /Studies screened here: belimumab-iim, glp1-ckd\.$/,
  },
  {
    name: 'an unsupported _lastUpdated prefix',
    send: (app) => app.inject({ url: '/ResearchSubject?_lastUpdated=lt2026-01-01' }),
    status: 400,
    code: 'value',
    coding: 'PRESCREEN_BAD_QUERY',
  },
];

describe('error responses', () => {
  it.each(rows)('$name → $status $code $coding', async (row) => {
    const { app, store } = await build({ env: row.env ?? { MAX_ENTRIES: '40' } });
    const response = await row.send(app);
    expect(response.statusCode).toBe(row.status);
    expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
    const issue = issueOf(response);
    expect(issue.code).toBe(row.code);
    expect(issue.coding).toBe(row.coding);
    if (row.expression) expect(issue.expression).toEqual([row.expression]);
    if (row.text) expect(issue.text).toMatch(row.text);
    const body = response.json() as Json;
    expect(body.issue[0].severity).toBe('error');
    expect(body.issue[0].details.coding[0].system).toBe('https://fhir-prescreen.org/CodeSystem/errors');
    expect(await storedCount(store)).toBe(0);
  });
});

class FailingStore implements Store {
  constructor(
    private readonly inner: Store,
    private readonly message: string,
  ) {}
  get kind() {
    return this.inner.kind;
  }
  migrate() {
    return this.inner.migrate();
  }
  async upsertSubject(): Promise<StoredSubject> {
    throw new Error(this.message);
  }
  async upsertSubjects(): Promise<StoredSubject[]> {
    throw new Error(this.message);
  }
  async writeSubjects(): Promise<void> {
    throw new Error(this.message);
  }
  getSubject(id: string) {
    return this.inner.getSubject(id);
  }
  searchSubjects(query: Parameters<Store['searchSubjects']>[0]) {
    return this.inner.searchSubjects(query);
  }
  async ping(): Promise<void> {
    throw new Error('connection refused');
  }
  close() {
    return this.inner.close();
  }
}

describe('unexpected errors', () => {
  it('answers 500 exception with fixed text: no message, no stack, no input', async () => {
    const inner = await openTestStore('pglite');
    const { app } = await build({ store: new FailingStore(inner, 'duplicate key for Maria Alvarez MRN-CDSC') });
    const response = await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF });
    expect(response.statusCode).toBe(500);
    expect(issueOf(response)).toMatchObject({ code: 'exception', coding: 'PRESCREEN_INTERNAL', text: 'An unexpected error occurred.' });
    expect(response.body).not.toMatch(/Maria|Alvarez|MRN-CDSC|duplicate key|at \w|\.ts/);
    expect(issueOf(response).expression).toBeUndefined();
    expect(await storedCount(inner)).toBe(0);
  });

  it('readyz answers 503 when storage is unreachable', async () => {
    const inner = await openTestStore('pglite');
    const { app } = await build({ store: new FailingStore(inner, 'x') });
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(issueOf(response)).toMatchObject({ code: 'exception', coding: 'PRESCREEN_UNAVAILABLE' });
  });

  it('readyz answers 503 when no study is loaded', async () => {
    const { app } = await build({ studies: new Map() });
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(503);
  });

  it('the service keeps answering after errors', async () => {
    const { app } = await build();
    await screen(app, '{bad');
    await screen(app, { resourceType: 'Bundle', type: 'collection', entry: [] });
    const ok = await screen(app, candidateBundle(), { asOf: CANDIDATE_AS_OF });
    expect(ok.statusCode).toBe(200);
  });
});
