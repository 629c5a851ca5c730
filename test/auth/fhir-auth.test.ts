// FHIR API authentication (issue 7 §1): off by default; with AUTH_* set, bearer JWTs (jose,
// static key or JWKS URL) or hashed API keys; 401 `login` + WWW-Authenticate: Bearer vs 403
// `forbidden`, each saying only "Not allowed."; public routes stay public.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from '../../src/config.js';
import { build } from '../helpers/build-app.js';
import { hs256WithPublicKey, makeKey, startJwksServer, unsignedToken, type JwksServer, type TestKey } from '../helpers/cds-jwt.js';
import { candidateBundle, SCREEN_URL } from '../http/fixtures.js';
import { accessToken, AUDIENCE, bearer, ISSUER, newApiKey, outcomeIssue } from './helpers.js';

let key: TestKey;
let otherKey: TestKey;
let jwks: JwksServer;

beforeAll(async () => {
  key = await makeKey('ES384');
  otherKey = await makeKey('ES384');
  jwks = await startJwksServer([key]);
});
afterAll(async () => {
  await jwks.close();
});

const ALL = 'system/ResearchSubject.read system/ResearchSubject.write system/ResearchStudy.read system/AuditEvent.read';

function pemEnv(): Record<string, string> {
  return { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_PUBLIC_KEY: key.publicPem, RATE_LIMIT_AUTH_FAILURES: '1000' };
}

function expectLogin(response: { statusCode: number; headers: Record<string, unknown> } & Parameters<typeof outcomeIssue>[0]) {
  expect(response.statusCode).toBe(401);
  expect(response.headers['www-authenticate']).toBe('Bearer');
  expect(outcomeIssue(response)).toMatchObject({ code: 'login', text: 'Not allowed.', coding: 'PRESCREEN_UNAUTHENTICATED' });
}

function expectForbidden(response: Parameters<typeof outcomeIssue>[0] & { statusCode: number }) {
  expect(response.statusCode).toBe(403);
  expect(outcomeIssue(response)).toMatchObject({ code: 'forbidden', text: 'Not allowed.', coding: 'PRESCREEN_FORBIDDEN' });
}

describe('authentication off (the default)', () => {
  it('serves the worklist and $screen with no credentials', async () => {
    const { app, config } = await build();
    expect(config.auth.enabled).toBe(false);
    expect((await app.inject({ method: 'GET', url: '/ResearchSubject' })).statusCode).toBe(200);
    const screened = await app.inject({ method: 'POST', url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json' }, payload: candidateBundle() });
    expect(screened.statusCode).toBe(200);
  });
});

describe('bearer JWTs against a static key', () => {
  it('refuses a missing, malformed or wrongly signed token with 401 login and WWW-Authenticate: Bearer', async () => {
    const { app, logs } = await build({ env: pemEnv() });
    const good = await accessToken(key, { scope: ALL });
    const tokens: (string | undefined)[] = [
      undefined,
      'Basic dXNlcjpwYXNz',
      'Bearer',
      'Bearer not-a-jwt',
      `Bearer ${await accessToken(otherKey, { scope: ALL })}`,
      `Bearer ${await accessToken(key, { scope: ALL, iss: 'https://evil.example.org' })}`,
      `Bearer ${await accessToken(key, { scope: ALL, aud: 'https://other.example.org' })}`,
      `Bearer ${await accessToken(key, { scope: ALL, omit: ['aud'] })}`,
      `Bearer ${await accessToken(key, { scope: ALL, expiresIn: -120 })}`,
      `Bearer ${await accessToken(key, { scope: ALL, omit: ['exp'] })}`,
      `Bearer ${await accessToken(key, { scope: ALL, typ: 'dpop+jwt' })}`,
      `Bearer ${unsignedToken({ iss: ISSUER, aud: AUDIENCE })}`,
      `Bearer ${await hs256WithPublicKey(key, { iss: ISSUER, aud: AUDIENCE })}`,
      `Bearer ${good.slice(0, -4)}AAAA`,
    ];
    for (const authorization of tokens) {
      const response = await app.inject({ method: 'GET', url: '/ResearchSubject', headers: authorization === undefined ? {} : { authorization } });
      expectLogin(response);
    }
    // No token ever reaches the logs.
    expect(logs.text()).not.toContain(good.split('.')[2]!);
    expect(logs.text()).not.toContain('eyJ');
  });

  it('answers 403 forbidden to a good token without the route\'s scope, 200 with it', async () => {
    const { app } = await build({ env: pemEnv() });
    const readOnly = await accessToken(key, { scope: 'system/ResearchSubject.read' });
    const studyOnly = await accessToken(key, { scope: 'system/ResearchStudy.read' });
    const screener = await accessToken(key, { scope: 'system/ResearchSubject.write' });
    const v2 = await accessToken(key, { scope: 'system/ResearchSubject.rs system/ResearchSubject.cu' });

    expect((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(readOnly) })).statusCode).toBe(200);
    expectForbidden(await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(studyOnly) }));
    expect((await app.inject({ method: 'GET', url: '/ResearchStudy/belimumab-iim', headers: bearer(studyOnly) })).statusCode).toBe(200);
    expectForbidden(await app.inject({ method: 'GET', url: '/ResearchStudy', headers: bearer(readOnly) }));

    const screen = (token: string) =>
      app.inject({ method: 'POST', url: SCREEN_URL, headers: { ...bearer(token), 'content-type': 'application/fhir+json' }, payload: candidateBundle() });
    expectForbidden(await screen(readOnly));
    expect((await screen(screener)).statusCode).toBe(200);
    expect((await screen(v2)).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(v2) })).statusCode).toBe(200);

    // The audit log needs the admin scope.
    expectForbidden(await app.inject({ method: 'GET', url: '/AuditEvent', headers: bearer(readOnly) }));
    const admin = await accessToken(key, { scope: 'system/AuditEvent.read' });
    expect((await app.inject({ method: 'GET', url: '/AuditEvent', headers: bearer(admin) })).statusCode).toBe(200);
  });

  it('leaves /healthz, /readyz, /metadata and CDS discovery public; everything else needs a credential', async () => {
    const { app } = await build({ env: pemEnv() });
    for (const url of ['/healthz', '/readyz', '/metadata', '/cds-services']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
    }
    for (const [method, url] of [
      ['GET', '/ResearchStudy'],
      ['GET', '/ResearchStudy/belimumab-iim'],
      ['GET', '/OperationDefinition/ResearchStudy-screen'],
      ['GET', '/ResearchSubject/x'],
      ['POST', SCREEN_URL],
      ['GET', '/AuditEvent'],
      ['GET', '/openapi.json'],
      ['GET', '/docs'],
      ['GET', '/no-such-route'],
      // Without CDS_CLIENTS the CDS service routes take the FHIR API's scheme: never left open.
      ['POST', '/cds-services/belimumab-iim-prescreen'],
      ['GET', '/cds-services/belimumab-iim-prescreen/feedback-summary'],
    ] as const) {
      expectLogin(await app.inject({ method, url, headers: { 'content-type': 'application/fhir+json' }, payload: method === 'POST' ? '{}' : undefined }));
    }
    const any = await accessToken(key, { scope: 'system/ResearchStudy.read' });
    expect((await app.inject({ method: 'GET', url: '/openapi.json', headers: bearer(any) })).statusCode).toBe(200);
  });

  it('throttles repeated failures from one address with 429 throttled and Retry-After', async () => {
    const { app } = await build({ env: { ...pemEnv(), RATE_LIMIT_AUTH_FAILURES: '3' } });
    for (let i = 0; i < 3; i++) expectLogin(await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer('junk') }));
    const throttled = await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer('junk') });
    expect(throttled.statusCode).toBe(429);
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
    expect(outcomeIssue(throttled).code).toBe('throttled');
  });
});

describe('bearer JWTs against a JWKS URL', () => {
  it('verifies with the JWKS and picks up a rotated key on an unknown kid', async () => {
    const { app } = await build({
      env: { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URL: jwks.url, AUTH_JWKS_COOLDOWN_MS: '0' },
    });
    const token = await accessToken(key, { scope: 'system/ResearchSubject.read' });
    expect((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(token) })).statusCode).toBe(200);
    const rotated = await makeKey('RS384');
    jwks.keys = [key, rotated];
    const fresh = await accessToken(rotated, { scope: 'system/ResearchSubject.read' });
    expect((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(fresh) })).statusCode).toBe(200);
    jwks.keys = [key];
  });
});

describe('static API keys', () => {
  it('accepts a configured key (held only as its SHA-256) with its scopes, and refuses others', async () => {
    const reader = newApiKey();
    const screener = newApiKey();
    const env = {
      AUTH_API_KEYS: JSON.stringify([
        { name: 'worklist-reader', sha256: reader.sha256, scopes: 'system/ResearchSubject.read' },
        { name: 'nightly', sha256: screener.sha256, scopes: 'system/ResearchSubject.write system/ResearchSubject.read' },
      ]),
    };
    const { app, config, logs } = await build({ env });
    expect(JSON.stringify(config.auth)).not.toContain(reader.key);
    expect((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(reader.key) })).statusCode).toBe(200);
    expectLogin(await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(`${reader.key}x`) }));
    expectLogin(await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(reader.sha256) }));
    const screen = (k: string) =>
      app.inject({ method: 'POST', url: SCREEN_URL, headers: { ...bearer(k), 'content-type': 'application/fhir+json' }, payload: candidateBundle() });
    expectForbidden(await screen(reader.key));
    expect((await screen(screener.key)).statusCode).toBe(200);
    expect(logs.text()).not.toContain(reader.key);
    expect(logs.text()).not.toContain(screener.key);
  });
});

describe('configuration', () => {
  const bad: Record<string, string>[] = [
    { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE },
    { AUTH_JWKS_URL: 'https://auth.example.org/jwks' },
    { AUTH_ISSUER: ISSUER, AUTH_JWKS_URL: 'https://auth.example.org/jwks' },
    { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URL: 'http://auth.example.org/jwks' },
    { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URL: 'https://a/j', AUTH_JWKS: '{"keys":[{}]}' },
    { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS: '{"keys":[]}' },
    { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, AUTH_JWKS_URL: 'https://a/j', AUTH_JWT_ALGORITHMS: 'HS256' },
    { AUTH_API_KEYS: 'secret-key-in-plain-text' },
    { AUTH_API_KEYS: '[{"name":"a","sha256":"abc","scopes":"system/*.read"}]' },
    { AUTH_API_KEYS: '[{"name":"a","key":"plain","scopes":"system/*.read"}]' },
  ];
  it.each(bad)('refuses %j with a ConfigError that does not echo the value', (env) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).not.toContain('plain');
    expect((error as Error).message).not.toContain('secret-key');
  });

  it('takes the audience from PUBLIC_URL when AUTH_AUDIENCE is unset', () => {
    const config = loadConfig({ AUTH_ISSUER: ISSUER, AUTH_JWKS_URL: 'https://auth.example.org/jwks', PUBLIC_URL: AUDIENCE });
    expect(config.auth.jwt?.audience).toBe(AUDIENCE);
    expect(config.auth.enabled).toBe(true);
  });
});
