// Verifies the Bearer JWT of a CDS client with jose [Trusting CDS Clients; Best Practices]:
// - header: alg from the asymmetric allowlist (never `none` or HS*), typ JWT; keys from config
//   (a JWKS URL, a static JWKS or a PEM key), or from a `jku` only when allowlisted for the iss;
//   an unknown kid refetches the JWKS (after a cooldown, so junk kids cannot flood the EHR);
// - claims: iss allowlisted, aud the exact public URL of the endpoint called, exp within 60 s
//   of skew, iat present and not in the future, a lifetime of at most 10 minutes, tenant
//   allowlisted when configured, and a jti not seen before (checked last, only for a token
//   whose signature holds, so a forger cannot poison the cache).
// Every failure is one CdsAuthError; its reason is for our logs only, never the response.

import { decodeJwt, decodeProtectedHeader, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { bearerJwt, keySourceOf, loggable, remoteJwksCache, type KeySource } from '../auth/jwt-keys.js';
import type { CdsClient } from '../schemas/cds-config.js';
import { JtiCache } from './jti-cache.js';

export const CLOCK_SKEW_S = 60;
/** exp may be at most this far after iat (and after now): bounds the replay cache. */
export const MAX_LIFETIME_S = 600;

export type AuthFailure = 'missing' | 'malformed' | 'unknown-issuer' | 'signature-or-claims' | 'lifetime' | 'tenant' | 'replay';

export class CdsAuthError extends Error {
  constructor(
    readonly reason: AuthFailure,
    /** Safe to log (standards: only iss, tenant and jti). */
    readonly logFields: { iss?: string; tenant?: string; jti?: string } = {},
  ) {
    super('not allowed');
    this.name = 'CdsAuthError';
  }
}

export interface VerifiedClient {
  iss: string;
  jti: string;
  tenant?: string;
}

export interface VerifierOptions {
  clients: CdsClient[];
  algorithms: string[];
  jtiCacheSize: number;
  jwksCooldownMs: number;
}

export function createJwtVerifier(options: VerifierOptions): { verify(authorization: string | undefined, audience: string): Promise<VerifiedClient> } {
  const remoteSet = remoteJwksCache(options.jwksCooldownMs);
  const configured = new Map<string, KeySource>();
  for (const client of options.clients) {
    const source = keySourceOf(client, remoteSet);
    if (source !== undefined) configured.set(client.iss, source);
  }
  const byIssuer = new Map(options.clients.map((c) => [c.iss, c]));
  const replay = new JtiCache(options.jtiCacheSize);

  return {
    async verify(authorization, audience) {
      const token = bearerJwt(authorization);
      if (token === undefined) throw new CdsAuthError(authorization ? 'malformed' : 'missing');
      let header: ReturnType<typeof decodeProtectedHeader>;
      let unverified: ReturnType<typeof decodeJwt>;
      try {
        header = decodeProtectedHeader(token);
        unverified = decodeJwt(token);
      } catch {
        throw new CdsAuthError('malformed');
      }
      const fields = {
        ...(loggable(unverified.iss) ? { iss: loggable(unverified.iss)! } : {}),
        ...(loggable(unverified['tenant']) ? { tenant: loggable(unverified['tenant'])! } : {}),
        ...(loggable(unverified.jti) ? { jti: loggable(unverified.jti)! } : {}),
      };
      const client = typeof unverified.iss === 'string' ? byIssuer.get(unverified.iss) : undefined;
      if (!client) throw new CdsAuthError('unknown-issuer', fields);
      // A jku is followed only when this issuer's configuration names it.
      const jku = typeof header.jku === 'string' && client.jku?.includes(header.jku) ? header.jku : undefined;
      const keys = jku !== undefined ? remoteSet(jku) : configured.get(client.iss)!;

      let payload: Awaited<ReturnType<typeof jwtVerify>>['payload'];
      try {
        ({ payload } = await jwtVerify(token, keys as JWTVerifyGetKey, {
          algorithms: options.algorithms,
          issuer: client.iss,
          audience,
          typ: 'JWT',
          clockTolerance: CLOCK_SKEW_S,
          maxTokenAge: MAX_LIFETIME_S,
          requiredClaims: ['iss', 'aud', 'exp', 'iat', 'jti'],
        }));
      } catch {
        throw new CdsAuthError('signature-or-claims', fields);
      }
      const now = Math.floor(Date.now() / 1000);
      const exp = payload.exp!;
      if (exp - payload.iat! > MAX_LIFETIME_S || exp > now + MAX_LIFETIME_S + CLOCK_SKEW_S) throw new CdsAuthError('lifetime', fields);
      const tenant = typeof payload['tenant'] === 'string' ? payload['tenant'] : undefined;
      if (client.tenants !== undefined && (tenant === undefined || !client.tenants.includes(tenant))) {
        throw new CdsAuthError('tenant', fields);
      }
      const jti = payload.jti;
      if (typeof jti !== 'string' || jti === '') throw new CdsAuthError('signature-or-claims', fields);
      if (!replay.remember(`${client.iss}\0${jti}`, (exp + CLOCK_SKEW_S) * 1000)) throw new CdsAuthError('replay', fields);
      return { iss: client.iss, jti, ...(tenant !== undefined ? { tenant } : {}) };
    },
  };
}
