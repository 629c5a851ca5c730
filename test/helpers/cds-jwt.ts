// A JWT-signing CDS client for tests (standards §5): key pairs, a JWKS served on 127.0.0.1:0
// that can rotate, and tokens good or bad in every way the service must refuse.

import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';

export interface TestKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export async function makeKey(alg = 'ES384', kid: string = randomUUID()): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { kid, alg, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface JwksServer {
  url: string;
  keys: TestKey[];
  /** Requests served so far. */
  hits: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: TestKey[]): Promise<JwksServer> {
  const state = { keys, hits: 0 };
  const server: Server = createServer((_req, res) => {
    state.hits++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: state.keys.map((k) => k.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  return {
    url,
    get keys() {
      return state.keys;
    },
    set keys(k: TestKey[]) {
      state.keys = k;
    },
    get hits() {
      return state.hits;
    },
    set hits(n: number) {
      state.hits = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface TokenClaims {
  iss: string;
  aud: string | string[];
  /** Seconds from now; negative = already expired. */
  expiresIn?: number;
  /** Seconds from now for iat (default 0). */
  issuedIn?: number;
  jti?: string;
  tenant?: string;
  omit?: ('iat' | 'jti' | 'exp')[];
  header?: Record<string, unknown>;
}

export async function signToken(key: TestKey, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { iss: claims.iss, aud: claims.aud };
  if (!claims.omit?.includes('iat')) payload['iat'] = now + (claims.issuedIn ?? 0);
  if (!claims.omit?.includes('exp')) payload['exp'] = now + (claims.expiresIn ?? 300);
  if (!claims.omit?.includes('jti')) payload['jti'] = claims.jti ?? randomUUID();
  if (claims.tenant !== undefined) payload['tenant'] = claims.tenant;
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...claims.header }).sign(key.privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsecured JWT: `alg: none` and an empty signature. */
export function unsignedToken(claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: claims.iss, aud: claims.aud, iat: now, exp: now + 300, jti: randomUUID() })}.`;
}

/** The classic key-confusion attack: HS256 with the public key's PEM as the HMAC secret. */
export async function hs256WithPublicKey(key: TestKey, claims: TokenClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iss: claims.iss, aud: claims.aud, iat: now, exp: now + 300, jti: randomUUID() })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .sign(new TextEncoder().encode(key.publicPem));
}
