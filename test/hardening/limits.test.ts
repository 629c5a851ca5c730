// Limits (issue 7 §2, issue 14 §3): request rate → 429 throttled with Retry-After for
// unauthenticated callers on other addresses and failed authentication, never for one
// legitimate client at the service's capacity; the
// screening deadline → 503 timeout with nothing stored; the server's connection timeouts.

import { typicalMyositisPatient } from '../../tools/cohort/typical-myositis-patient.js';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { candidateBundle, SCREEN_URL } from '../http/fixtures.js';
import { bearer, newApiKey, outcomeIssue } from '../auth/helpers.js';

/** An address that is not this machine's (a documentation range: inject sends nothing there). */
const REMOTE = '203.0.113.7';
/** Past the per-client limit of earlier versions (600 a minute). */
const PAST_OLD_LIMIT = 640;

type Injectable = Awaited<ReturnType<typeof build>>['app'];

/** A CDS call with a complete prefetch (every key null but the Patient): screened, no fetch. */
async function cdsCall(app: Injectable, headers: Record<string, string> = {}) {
  const discovery = (await app.inject({ method: 'GET', url: '/cds-services', headers })).json() as { services: { id: string; prefetch: Record<string, string> }[] };
  const service = discovery.services[0]!;
  const patient = (candidateBundle()['entry'] as { resource: { resourceType: string; id: string } }[]).find((e) => e.resource.resourceType === 'Patient')!.resource;
  const prefetch = Object.fromEntries(Object.keys(service.prefetch).map((key) => [key, key === 'patient' ? patient : null]));
  return {
    method: 'POST' as const,
    url: `/cds-services/${service.id}`,
    headers: { 'content-type': 'application/json', ...headers },
    payload: { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/x', patientId: patient.id }, prefetch },
  };
}

/**
 * One client sends PAST_OLD_LIMIT requests back to back, as a busy EHR or a batch client
 * would, ending with a $screen and a CDS call: none may be throttled.
 */
async function expectNeverThrottled(app: Injectable, headers: Record<string, string> = {}, remoteAddress?: string): Promise<void> {
  const statuses = new Map<number, number>();
  const note = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const screen = { method: 'POST' as const, url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json', ...headers }, payload: candidateBundle(), remoteAddress };
  const cds = { ...(await cdsCall(app, headers)), remoteAddress };
  for (let i = 0; i < PAST_OLD_LIMIT; i++) {
    // Mostly cheap reads, a screening now and then: the limit counts requests, not work.
    const request = i % 64 === 0 ? screen : i % 64 === 32 ? cds : { method: 'GET' as const, url: '/ResearchStudy', headers, remoteAddress };
    note((await app.inject(request)).statusCode);
  }
  const lastScreen = await app.inject(screen);
  const lastCds = await app.inject(cds);
  expect(lastScreen.statusCode).toBe(200);
  expect(lastCds.statusCode).toBe(200);
  expect([...statuses.keys()]).toEqual([200]);
}

describe('request rate', () => {
  it('never throttles the local user of the loopback quick start with default settings', async () => {
    const { app, config } = await build();
    expect(config.auth.enabled).toBe(false);
    await expectNeverThrottled(app);
  }, 120_000);

  it('never throttles one authenticated client (an EHR, a batch job) with default settings', async () => {
    const ehr = newApiKey();
    const { app } = await build({
      env: {
        AUTH_API_KEYS: JSON.stringify([
          { name: 'ehr', sha256: ehr.sha256, scopes: 'system/ResearchSubject.read system/ResearchSubject.write system/ResearchStudy.read' },
        ]),
      },
    });
    // From another address, as an EHR calls: the client is the key, not the address.
    await expectNeverThrottled(app, bearer(ehr.key), REMOTE);
  }, 120_000);

  it('answers 429 throttled with Retry-After past RATE_LIMIT_MAX to an unauthenticated caller on another address', async () => {
    const { app } = await build({ env: { RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000', HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' } });
    const get = (url: string, remoteAddress = REMOTE) => app.inject({ method: 'GET', url, remoteAddress });
    for (let i = 0; i < 3; i++) expect((await get('/ResearchSubject')).statusCode).toBe(200);
    const throttled = await get('/ResearchSubject');
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(throttled.headers['content-type']).toContain('application/fhir+json');
    expect(outcomeIssue(throttled)).toMatchObject({ code: 'throttled', coding: 'PRESCREEN_THROTTLED' });
    // Probes are never limited.
    for (let i = 0; i < 5; i++) expect((await get('/healthz')).statusCode).toBe(200);
    // The CDS routes answer their own media type, still an OperationOutcome.
    const cds = await get('/cds-services');
    expect(cds.statusCode).toBe(429);
    expect(outcomeIssue(cds).code).toBe('throttled');
    // Each address is counted on its own, and this machine is not limited.
    expect((await get('/ResearchSubject', '203.0.113.8')).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) expect((await get('/ResearchSubject', '127.0.0.1')).statusCode).toBe(200);
  });

  it('limits each authenticated client separately with RATE_LIMIT_CLIENT_MAX', async () => {
    const a = newApiKey();
    const b = newApiKey();
    const { app } = await build({
      env: {
        RATE_LIMIT_CLIENT_MAX: '2',
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

  it('still throttles failed authentication with default settings, from this machine too', async () => {
    const good = newApiKey();
    const { app, config } = await build({ env: { AUTH_API_KEYS: JSON.stringify([{ name: 'ehr', sha256: good.sha256, scopes: 'system/ResearchSubject.read' }]) } });
    const statuses: number[] = [];
    for (let i = 0; i <= config.limits.authFailureMax; i++) {
      statuses.push((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(newApiKey().key) })).statusCode);
    }
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });

  it('is off with RATE_LIMIT_MAX=0', async () => {
    const { app } = await build({ env: { RATE_LIMIT_MAX: '0', HOST: '0.0.0.0', ALLOW_UNAUTHENTICATED: 'true' } });
    for (let i = 0; i < 20; i++) expect((await app.inject({ method: 'GET', url: '/ResearchSubject', remoteAddress: REMOTE })).statusCode).toBe(200);
  });
});

describe('screening deadline', () => {
  it('answers 503 timeout past SCREEN_TIMEOUT_MS and stores nothing', async () => {
    const { app, store } = await build({ env: { SCREEN_TIMEOUT_MS: '1' } });
    // A ~300-resource patient takes several milliseconds to screen even when the code is warm,
    // so a 1 ms deadline is always past (the small example can finish inside 1 ms).
    const response = await app.inject({ method: 'POST', url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json' }, payload: typicalMyositisPatient(1) });
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
      clientRateLimitMax: 0,
      authFailureMax: 30,
      rateLimitWindowMs: 60_000,
      screenTimeoutMs: 30_000,
      connectionTimeoutMs: 120_000,
      keepAliveTimeoutMs: 5_000,
      requestTimeoutMs: 300_000,
      shutdownTimeoutMs: 10_000,
    });
  });
});
