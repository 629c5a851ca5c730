// Verifies the FHIR API's bearer access tokens with jose [SMART Backend Services: the resource
// server's side]: asymmetric alg from the allowlist (never `none` or HS*), keys from the
// configured JWKS URL, JWKS or PEM (an unknown kid refetches a remote JWKS after a cooldown),
// `iss` exactly the configured issuer, `aud` naming the configured audience, `exp` required
// and honoured with 60 s of skew, `nbf` honoured, `typ` JWT or at+jwt (RFC 9068) when present.
// Every failure is one AuthError; its reason is for our logs only, never the response.

import { decodeJwt, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { JwtAuthConfig } from './auth-config.js';
import { keySourceOf, loggable, remoteJwksCache } from './jwt-keys.js';
import type { Principal } from './principal.js';
import { scopesOfClaims } from './scopes.js';

export const CLOCK_SKEW_S = 60;

export type AuthFailureReason = 'missing' | 'malformed' | 'unknown-key' | 'signature-or-claims' | 'wrong-type';

export class AuthError extends Error {
  constructor(
    readonly reason: AuthFailureReason,
    /** Safe to log: the claimed iss and jti, trimmed, never the token. */
    readonly logFields: { iss?: string; jti?: string } = {},
  ) {
    super('not allowed');
    this.name = 'AuthError';
  }
}

export interface AccessTokenVerifier {
  verify(token: string): Promise<Principal>;
}

export function createAccessTokenVerifier(config: JwtAuthConfig): AccessTokenVerifier {
  const keys = keySourceOf(config, remoteJwksCache(config.jwksCooldownMs));
  if (keys === undefined) throw new Error('no key material for access tokens');
  return {
    async verify(token) {
      let unverified: ReturnType<typeof decodeJwt>;
      try {
        unverified = decodeJwt(token);
      } catch {
        throw new AuthError('malformed');
      }
      const fields = {
        ...(loggable(unverified.iss) ? { iss: loggable(unverified.iss)! } : {}),
        ...(loggable(unverified.jti) ? { jti: loggable(unverified.jti)! } : {}),
      };
      let verified: Awaited<ReturnType<typeof jwtVerify>>;
      try {
        verified = await jwtVerify(token, keys as JWTVerifyGetKey, {
          algorithms: config.algorithms,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: CLOCK_SKEW_S,
          requiredClaims: ['iss', 'aud', 'exp'],
        });
      } catch (error) {
        const code = (error as { code?: string }).code;
        throw new AuthError(code === 'ERR_JWKS_NO_MATCHING_KEY' ? 'unknown-key' : 'signature-or-claims', fields);
      }
      const typ = verified.protectedHeader.typ?.toLowerCase();
      if (typ !== undefined && typ !== 'jwt' && typ !== 'at+jwt' && typ !== 'application/at+jwt') throw new AuthError('wrong-type', fields);
      const payload = verified.payload as Record<string, unknown>;
      const client = [payload['client_id'], payload['azp'], payload['sub']].find((v): v is string => typeof v === 'string' && v !== '');
      return {
        kind: 'jwt',
        id: `${loggable(config.issuer)}|${loggable(client) ?? '(no client id)'}`,
        scopes: scopesOfClaims(payload),
      };
    },
  };
}
