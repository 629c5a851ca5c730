import { describe, expect, it } from 'vitest';
import { call, discovery, listen, SERVICE, typicalPatient, type Json, type Listening } from './setup.js';
import { startFakeFhirServer } from '../helpers/fake-fhir-server.js';
import { onTestFinished } from 'vitest';

async function issueCard(app: Listening): Promise<Json> {
  const { resources, patientId } = typicalPatient();
  const server = await startFakeFhirServer(resources);
  onTestFinished(() => server.close());
  await discovery(app);
  const response = await app.post(`/cds-services/${SERVICE}`, call(patientId, {
    fhirServer: server.base,
    fhirAuthorization: { access_token: 't', token_type: 'Bearer', expires_in: 60, scope: 'patient/*.read', subject: 's' },
  }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { cards: Json[] }).cards[0]!;
}

describe('CDS feedback', () => {
  it('stores feedback against the card, idempotently, and summarises it per criterion', async () => {
    const app = await listen();
    const accepted = await issueCard(app);
    const overridden = await issueCard(app);
    const reason = (overridden['overrideReasons'] as Json[])[0]!;
    const feedback = {
      feedback: [
        { card: accepted['uuid'], outcome: 'accepted', acceptedSuggestions: [{ id: 'none' }], outcomeTimestamp: '2026-11-24T10:00:00Z' },
        {
          card: overridden['uuid'],
          outcome: 'overridden',
          overrideReason: { reason, userComment: 'Patient Jane said no, born 1970-01-01' },
          outcomeTimestamp: '2026-11-24T10:05:00+01:00',
        },
      ],
    };
    const response = await app.post(`/cds-services/${SERVICE}/feedback`, feedback);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
    // The same items again: no double counting.
    expect((await app.post(`/cds-services/${SERVICE}/feedback`, feedback)).status).toBe(200);
    expect(app.logs.text()).not.toContain('Jane');

    const summary = await app.get(`/cds-services/${SERVICE}/feedback-summary`);
    expect(summary.status).toBe(200);
    const body = (await summary.json()) as { service: string; criteria: Json[] };
    expect(body.service).toBe(SERVICE);
    expect(body.criteria).toHaveLength(30);
    const flagged = body.criteria.filter((c) => (c['cards'] as number) > 0);
    expect(flagged.length).toBeGreaterThan(0);
    for (const c of flagged) {
      expect(c).toMatchObject({ cards: 2, accepted: 1, overridden: 1, overrideRate: 0.5 });
      expect(c['overrideReasons']).toEqual([{ system: reason['system'], code: reason['code'], display: reason['display'], count: 1 }]);
    }
    const quiet = body.criteria.find((c) => c['cards'] === 0)!;
    expect(quiet).not.toHaveProperty('overrideRate');
    expect(quiet).not.toHaveProperty('overrideReasons');
  });

  it('answers 404 for an unknown card and stores nothing of that request', async () => {
    const app = await listen();
    const card = await issueCard(app);
    const response = await app.post(`/cds-services/${SERVICE}/feedback`, {
      feedback: [
        { card: card['uuid'], outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' },
        { card: crypto.randomUUID(), outcome: 'accepted', outcomeTimestamp: '2026-11-24T10:00:00Z' },
      ],
    });
    expect(response.status).toBe(404);
    const outcome = (await response.json()) as { issue: { code: string; expression: string[] }[] };
    expect(outcome.issue[0]).toMatchObject({ code: 'not-found', expression: ['feedback[1].card'] });
    const summary = (await (await app.get(`/cds-services/${SERVICE}/feedback-summary`)).json()) as { criteria: Json[] };
    expect(summary.criteria.every((c) => c['accepted'] === 0)).toBe(true);
  });

  it('answers 400 for malformed feedback', async () => {
    const app = await listen();
    for (const body of [{}, { feedback: [] }, { feedback: [{ card: 'x', outcome: 'maybe', outcomeTimestamp: '2026-11-24T10:00:00Z' }] }, { feedback: [{ card: 'x', outcome: 'accepted', outcomeTimestamp: 'yesterday' }] }]) {
      expect((await app.post(`/cds-services/${SERVICE}/feedback`, body)).status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('CORS', () => {
  it('echoes an allowlisted origin, answers the preflight, and says nothing to others', async () => {
    const app = await listen({ CDS_CORS_ORIGINS: 'https://sandbox.cds-hooks.org' });
    const preflight = await fetch(`${app.url}/cds-services/${SERVICE}`, {
      method: 'OPTIONS',
      headers: { origin: 'https://sandbox.cds-hooks.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://sandbox.cds-hooks.org');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const get = await app.get('/cds-services', { origin: 'https://sandbox.cds-hooks.org' });
    expect(get.headers.get('access-control-allow-origin')).toBe('https://sandbox.cds-hooks.org');
    expect(get.headers.get('vary')).toMatch(/Origin/);
    const evil = await app.get('/cds-services', { origin: 'https://evil.example.org' });
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    // Not on the FHIR routes.
    const fhir = await app.get('/metadata', { origin: 'https://sandbox.cds-hooks.org' });
    expect(fhir.headers.get('access-control-allow-origin')).toBeNull();
  });
});
