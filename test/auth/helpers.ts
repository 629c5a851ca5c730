// Access tokens for the FHIR API tests: real jose keys, signed in-test, good or bad in every
// way the service must refuse.

import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { LightMyRequestResponse } from 'fastify';
import type { TestKey } from '../helpers/cds-jwt.js';

export const ISSUER = 'https://auth.example.org';
export const AUDIENCE = 'https://prescreen.example.org';

export interface AccessClaims {
  iss?: string;
  aud?: string | string[];
  scope?: string;
  expiresIn?: number;
  clientId?: string;
  typ?: string;
  omit?: ('exp' | 'aud')[];
}

export async function accessToken(key: TestKey, claims: AccessClaims = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    iss: claims.iss ?? ISSUER,
    sub: claims.clientId ?? 'nightly-job',
    client_id: claims.clientId ?? 'nightly-job',
    iat: now,
    jti: randomUUID(),
  };
  if (!claims.omit?.includes('aud')) payload['aud'] = claims.aud ?? AUDIENCE;
  if (!claims.omit?.includes('exp')) payload['exp'] = now + (claims.expiresIn ?? 300);
  if (claims.scope !== undefined) payload['scope'] = claims.scope;
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: claims.typ ?? 'JWT' }).sign(key.privateKey);
}

export function newApiKey(): { key: string; sha256: string } {
  const key = randomBytes(32).toString('base64url');
  return { key, sha256: createHash('sha256').update(key).digest('hex') };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The single issue of an OperationOutcome answer. */
export function outcomeIssue(response: LightMyRequestResponse): { code: string; text: string; coding: string } {
  const body = response.json() as { resourceType: string; issue: { code: string; details: { text: string; coding: { code: string }[] } }[] };
  if (body.resourceType !== 'OperationOutcome') throw new Error(`not an OperationOutcome: ${body.resourceType}`);
  const issue = body.issue[0]!;
  return { code: issue.code, text: issue.details.text, coding: issue.details.coding[0]!.code };
}
