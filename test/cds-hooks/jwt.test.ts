// Secured mode: every CDS call carries a JWT the service verifies with jose.
import { describe, expect, it, onTestFinished } from 'vitest';
import { hs256WithPublicKey, makeKey, signToken, startJwksServer, unsignedToken, type TestKey } from '../helpers/cds-jwt.js';
import { call, listen, SERVICE, typicalPatient, type Listening } from './setup.js';

const PUBLIC_URL = 'https://prescreen.example.org';
const ISS = 'https://ehr.example.org';
const AUD = `${PUBLIC_URL}/cds-services/${SERVICE}`;

async function secured(extra: Record<string, string> = {}): Promise<{ app: Listening; key: TestKey; jwks: Awaited<ReturnType<typeof startJwksServer>> }> {
  const key = await makeKey('ES384');
  const jwks = await startJwksServer([key]);
  onTestFinished(() => jwks.close());
  const app = await listen({
    PUBLIC_URL,
    CDS_CLIENTS: JSON.stringify([{ iss: ISS, jwksUrl: jwks.url }]),
    CDS_JWKS_COOLDOWN_MS: '0',
    ...extra,
  });
  return { app, key, jwks };
}

/** A complete prefetch-less call that fails later (412) once authenticated: enough to tell 401 apart. */
function body(): Record<string, unknown> {
  return call(typicalPatient().patientId);
}

async function expect401(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toBe('Bearer');
  const outcome = (await response.json()) as { issue: { code: string; details: { text: string } }[] };
  expect(outcome.issue[0]!.code).toBe('login');
  expect(outcome.issue).toHaveLength(1);
  expect(outcome.issue[0]!.details.text).toBe('Not allowed.');
}

describe('CDS client JWT (CDS_CLIENTS set)', () => {
  it('accepts a good token for the exact endpoint URL, and refuses the same jti twice', async () => {
    const { app, key } = await secured();
    const token = await signToken(key, { iss: ISS, aud: AUD, jti: 'jti-once' });
    const first = await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${token}` });
    expect(first.status).toBe(412); // authenticated; no data to screen
    await expect401(await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${token}` }));
    const log = app.logs.text();
    expect(log).toContain('jti-once');
    expect(log).not.toContain(token);
  });

  it('accepts aud as an array, and discovery with its own URL', async () => {
    const { app, key } = await secured();
    const token = await signToken(key, { iss: ISS, aud: ['https://other.example.org', AUD] });
    expect((await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${token}` })).status).toBe(412);
    const discovery = await signToken(key, { iss: ISS, aud: `${PUBLIC_URL}/cds-services` });
    expect((await app.get('/cds-services', { authorization: `Bearer ${discovery}` })).status).toBe(200);
  });

  it('secures trials-prescreen and its feedback the same way: its own URL as aud, one study service\'s refused', async () => {
    const { app, key } = await secured();
    const trials = `${PUBLIC_URL}/cds-services/trials-prescreen`;
    await expect401(await app.post('/cds-services/trials-prescreen', body()));
    await expect401(await app.post('/cds-services/trials-prescreen', body(), { authorization: `Bearer ${await signToken(key, { iss: ISS, aud: AUD })}` }));
    const good = await signToken(key, { iss: ISS, aud: trials });
    expect((await app.post('/cds-services/trials-prescreen', body(), { authorization: `Bearer ${good}` })).status).toBe(412);
    await expect401(await app.get('/cds-services/trials-prescreen/feedback-summary'));
    const summary = await signToken(key, { iss: ISS, aud: `${trials}/feedback-summary` });
    expect((await app.get('/cds-services/trials-prescreen/feedback-summary', { authorization: `Bearer ${summary}` })).status).toBe(200);
  });

  it('refuses every kind of bad token with the same generic 401', async () => {
    const { app, key } = await secured();
    const other = await makeKey('ES384', key.kid);
    const rsa = await makeKey('RS256');
    const cases: [string, string | undefined][] = [
      ['no header', undefined],
      ['not a JWT', 'Bearer abc'],
      ['wrong key (same kid)', `Bearer ${await signToken(other, { iss: ISS, aud: AUD })}`],
      ['wrong aud', `Bearer ${await signToken(key, { iss: ISS, aud: `${PUBLIC_URL}/cds-services/other` })}`],
      ['aud from the Host header', `Bearer ${await signToken(key, { iss: ISS, aud: `${app.url}/cds-services/${SERVICE}` })}`],
      ['unknown iss', `Bearer ${await signToken(key, { iss: 'https://evil.example.org', aud: AUD })}`],
      ['expired', `Bearer ${await signToken(key, { iss: ISS, aud: AUD, issuedIn: -400, expiresIn: -120 })}`],
      ['iat in the future', `Bearer ${await signToken(key, { iss: ISS, aud: AUD, issuedIn: 600, expiresIn: 700 })}`],
      ['no iat', `Bearer ${await signToken(key, { iss: ISS, aud: AUD, omit: ['iat'] })}`],
      ['no jti', `Bearer ${await signToken(key, { iss: ISS, aud: AUD, omit: ['jti'] })}`],
      ['lifetime too long', `Bearer ${await signToken(key, { iss: ISS, aud: AUD, expiresIn: 86_400 })}`],
      ['alg none', `Bearer ${unsignedToken({ iss: ISS, aud: AUD })}`],
      ['HS256 with the public key as secret', `Bearer ${await hs256WithPublicKey(key, { iss: ISS, aud: AUD })}`],
      ['algorithm not allowed (RS256)', `Bearer ${await signToken(rsa, { iss: ISS, aud: AUD })}`],
      ['typ not JWT', `Bearer ${await signToken(key, { iss: ISS, aud: AUD, header: { typ: 'at+jwt' } })}`],
    ];
    for (const [name, authorization] of cases) {
      const response = await app.post(`/cds-services/${SERVICE}`, body(), authorization ? { authorization } : {});
      expect(response.status, name).toBe(401);
      await expect401(response);
    }
    // Feedback and the summary are behind the same check.
    await expect401(await app.post(`/cds-services/${SERVICE}/feedback`, { feedback: [] }));
    await expect401(await app.get(`/cds-services/${SERVICE}/feedback-summary`));
    await expect401(await app.get('/cds-services'));
  });

  it('throttles repeated failures from one address with 429 and Retry-After (RATE_LIMIT_AUTH_FAILURES)', async () => {
    const { app, key } = await secured({ RATE_LIMIT_AUTH_FAILURES: '3' });
    for (let i = 0; i < 3; i++) await expect401(await app.post(`/cds-services/${SERVICE}`, body(), { authorization: 'Bearer abc' }));
    const throttled = await app.post(`/cds-services/${SERVICE}`, body(), { authorization: 'Bearer abc' });
    expect(throttled.status).toBe(429);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await throttled.json()) as { issue: { code: string }[] }).issue[0]!.code).toBe('throttled');
    // Only failures are counted: a verified client on the same address gets through (412: nothing to fetch from).
    const good = await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${await signToken(key, { iss: ISS, aud: AUD })}` });
    expect(good.status).toBe(412);
  });

  it('refetches the JWKS on an unknown kid (key rotation)', async () => {
    const { app, key, jwks } = await secured();
    expect((await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${await signToken(key, { iss: ISS, aud: AUD })}` })).status).toBe(412);
    const hits = jwks.hits;
    const rotated = await makeKey('ES384');
    jwks.keys = [rotated];
    const response = await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${await signToken(rotated, { iss: ISS, aud: AUD })}` });
    expect(response.status).toBe(412);
    expect(jwks.hits).toBeGreaterThan(hits);
  });

  it('ignores a jku that is not allowlisted for the issuer, and allows a tenant only when listed', async () => {
    const key = await makeKey('ES384');
    const evil = await makeKey('ES384');
    const evilJwks = await startJwksServer([evil]);
    onTestFinished(() => evilJwks.close());
    const app = await listen({ PUBLIC_URL, CDS_CLIENTS: JSON.stringify([{ iss: ISS, jwks: { keys: [key.publicJwk] }, tenants: ['t1'] }]) });
    const viaJku = await signToken(evil, { iss: ISS, aud: AUD, tenant: 't1', header: { jku: evilJwks.url } });
    await expect401(await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${viaJku}` }));
    expect(evilJwks.hits).toBe(0);
    await expect401(await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${await signToken(key, { iss: ISS, aud: AUD, tenant: 't2' })}` }));
    expect((await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${await signToken(key, { iss: ISS, aud: AUD, tenant: 't1' })}` })).status).toBe(412);
  });

  it('accepts a static PEM public key (RS384)', async () => {
    const key = await makeKey('RS384');
    const app = await listen({ PUBLIC_URL, CDS_CLIENTS: JSON.stringify([{ iss: ISS, publicKey: key.publicPem }]) });
    expect((await app.post(`/cds-services/${SERVICE}`, body(), { authorization: `Bearer ${await signToken(key, { iss: ISS, aud: AUD })}` })).status).toBe(412);
  });

  it('requires no JWT in the quick start (CDS_CLIENTS unset)', async () => {
    const app = await listen();
    expect((await app.get('/cds-services')).status).toBe(200);
  });
});
