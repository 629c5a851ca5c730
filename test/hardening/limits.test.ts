// Limits (issue 7 §2): request rate per client → 429 throttled with Retry-After; the
// screening deadline → 503 timeout with nothing stored; the server's connection timeouts.

import { typicalMyositisPatient } from '../../src/cohort/typical-myositis-patient.js';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { candidateBundle, SCREEN_URL } from '../http/fixtures.js';
import { bearer, newApiKey, outcomeIssue } from '../auth/helpers.js';

describe('request rate per client', () => {
  it('answers 429 throttled with Retry-After past RATE_LIMIT_MAX, as an OperationOutcome', async () => {
    const { app } = await build({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' } });
    for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/ResearchSubject' })).statusCode).toBe(200);
    const throttled = await app.inject({ method: 'GET', url: '/ResearchSubject' });
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.headers['content-type']).toContain('application/fhir+json');
    expect(outcomeIssue(throttled)).toMatchObject({ code: 'throttled', coding: 'PRESCREEN_THROTTLED' });
    // Probes are never limited.
    for (let i = 0; i < 5; i++) expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    // The CDS routes answer their own media type, still an OperationOutcome.
    const cds = await app.inject({ method: 'GET', url: '/cds-services' });
    expect(cds.statusCode).toBe(429);
    expect(outcomeIssue(cds).code).toBe('throttled');
  });

  it('counts each authenticated client separately', async () => {
    const a = newApiKey();
    const b = newApiKey();
    const { app } = await build({
      env: {
        RATE_LIMIT_MAX: '2',
        AUTH_API_KEYS: JSON.stringify([
          { name: 'a', sha256: a.sha256, scopes: 'system/ResearchSubject.read' },
          { name: 'b', sha256: b.sha256, scopes: 'system/ResearchSubject.read' },
        ]),
      },
    });
    const get = (k: string) => app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(k) });
    expect((await get(a.key)).statusCode).toBe(200);
    expect((await get(a.key)).statusCode).toBe(200);
    expect((await get(a.key)).statusCode).toBe(429);
    expect((await get(b.key)).statusCode).toBe(200);
  });

  it('is off with RATE_LIMIT_MAX=0', async () => {
    const { app } = await build({ env: { RATE_LIMIT_MAX: '0' } });
    for (let i = 0; i < 20; i++) expect((await app.inject({ method: 'GET', url: '/ResearchSubject' })).statusCode).toBe(200);
  });
});

describe('screening deadline', () => {
  it('answers 503 timeout past SCREEN_TIMEOUT_MS and stores nothing', async () => {
    const { app, store } = await build({ env: { SCREEN_TIMEOUT_MS: '1' } });
    // Screening a real record takes more than a millisecond.
    const response = await app.inject({ method: 'POST', url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json' }, payload: candidateBundle() });
    expect(response.statusCode).toBe(503);
    expect(outcomeIssue(response)).toMatchObject({ code: 'timeout', coding: 'PRESCREEN_TIMEOUT' });
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });

  it('gives each NDJSON line its own deadline; a line past it gets a timeout OperationOutcome', async () => {
    const { app, store } = await build({ env: { SCREEN_TIMEOUT_MS: '1' } });
    // A ~300-resource patient takes several milliseconds to screen even when the code is warm,
    // so a 1 ms deadline is always past (the small example can finish inside 1 ms).
    const line = JSON.stringify(typicalMyositisPatient(1));
    const response = await app.inject({
      method: 'POST',
      url: SCREEN_URL,
      headers: { 'content-type': 'application/fhir+ndjson' },
      payload: `${line}\n${line}\n`,
    });
    expect(response.statusCode).toBe(200);
    const lines = response.body.trim().split('\n').map((l) => JSON.parse(l) as { resourceType: string; issue?: { code: string }[] });
    expect(lines.map((l) => l.issue?.[0]?.code)).toEqual(['timeout', 'timeout']);
    expect((await store.searchSubjects({ count: 10, offset: 0 })).total).toBe(0);
  });
});

describe('connection timeouts', () => {
  it('sets the server\'s idle, keep-alive and request timeouts from config', async () => {
    const { app } = await build({ env: { CONNECTION_TIMEOUT_MS: '7000', KEEP_ALIVE_TIMEOUT_MS: '3000', REQUEST_TIMEOUT_MS: '45000' } });
    expect(app.server.timeout).toBe(7000);
    expect(app.server.keepAliveTimeout).toBe(3000);
    expect(app.server.requestTimeout).toBe(45000);
  });

  it('has safe defaults', async () => {
    const { config } = await build();
    expect(config.limits).toMatchObject({
      rateLimitMax: 600,
      rateLimitWindowMs: 60_000,
      screenTimeoutMs: 30_000,
      connectionTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5_000,
      requestTimeoutMs: 300_000,
      shutdownTimeoutMs: 10_000,
    });
  });
});
