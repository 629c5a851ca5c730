// SMART Backend Services [Client Authentication: Asymmetric] for the Bulk client: discover the
// token endpoint, sign a private_key_jwt assertion with jose, trade it for an access token and
// keep that until 30 s before it expires. The key and the tokens are never logged.

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { importJWK, importPKCS8, SignJWT, type CryptoKey, type JWK, type KeyObject } from 'jose';

export class SmartAuthError extends Error {
  override name = 'BulkExportError';
}

export interface TokenSource {
  /** A valid access token (cached). */
  token(): Promise<string>;
  /** Forget the cached token: the next call fetches a new one (after a 401). */
  invalidate(): void;
}

export interface SmartClientOptions {
  fhirBase: string;
  clientId: string;
  key: CryptoKey | KeyObject | Uint8Array;
  keyId: string;
  alg: 'RS384' | 'ES384';
  /** Resource types to ask for; the scope syntax (v1/v2) follows what the server advertises. */
  types: readonly string[];
  /** Overrides the computed scope. */
  scope?: string;
  fetch?: typeof fetch;
  now?: () => number;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function smartTokenSource(options: SmartClientOptions): TokenSource {
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  let cached: { token: string; until: number } | undefined;
  let configuration: Promise<{ tokenUrl: string; scope: string }> | undefined;

  const discover = async (): Promise<{ tokenUrl: string; scope: string }> => {
    const url = `${options.fhirBase.replace(/\/$/, '')}/.well-known/smart-configuration`;
    const response = await doFetch(url, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new SmartAuthError(`SMART configuration: HTTP ${response.status} from ${new URL(url).host}`);
    const config = (await response.json()) as Record<string, unknown>;
    const tokenUrl = config['token_endpoint'];
    if (typeof tokenUrl !== 'string') throw new SmartAuthError('SMART configuration has no token_endpoint');
    const methods = config['token_endpoint_auth_methods_supported'];
    if (Array.isArray(methods) && !methods.includes('private_key_jwt')) throw new SmartAuthError('the server does not offer private_key_jwt');
    const algs = config['token_endpoint_auth_signing_alg_values_supported'];
    if (Array.isArray(algs) && !algs.includes(options.alg)) throw new SmartAuthError(`the server does not accept ${options.alg} assertions`);
    const scopes = Array.isArray(config['scopes_supported']) ? (config['scopes_supported'] as unknown[]) : [];
    const capabilities = Array.isArray(config['capabilities']) ? (config['capabilities'] as unknown[]) : [];
    const v2 = capabilities.includes('permission-v2') || scopes.some((s) => typeof s === 'string' && /\.(c?r?u?d?s)$/.test(s) && !s.endsWith('.read'));
    const scope = options.scope ?? options.types.map((t) => `system/${t}.${v2 ? 'rs' : 'read'}`).join(' ');
    return { tokenUrl, scope };
  };

  const fetchToken = async (): Promise<string> => {
    configuration ??= discover();
    const { tokenUrl, scope } = await configuration;
    const seconds = Math.floor(now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: options.alg, kid: options.keyId, typ: 'JWT' })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(seconds)
      .setExpirationTime(seconds + 300)
      .setJti(randomUUID())
      .sign(options.key);
    const response = await doFetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', scope, client_assertion_type: ASSERTION_TYPE, client_assertion: assertion }),
    });
    if (!response.ok) throw new SmartAuthError(`token endpoint: HTTP ${response.status}`);
    const body = (await response.json()) as Record<string, unknown>;
    const token = body['access_token'];
    if (typeof token !== 'string' || typeof body['token_type'] !== 'string' || body['token_type'].toLowerCase() !== 'bearer') {
      throw new SmartAuthError('token endpoint: no bearer access_token in the response');
    }
    // A grant short of what was asked fails now, not halfway through an export.
    if (typeof body['scope'] === 'string') {
      const granted = new Set(body['scope'].split(/\s+/));
      const missing = scope.split(' ').filter((s) => !granted.has(s));
      if (missing.length > 0) throw new SmartAuthError(`token endpoint granted less than asked: missing ${missing.join(' ')}`);
    }
    const expiresIn = typeof body['expires_in'] === 'number' ? body['expires_in'] : 300;
    cached = { token, until: now() + Math.max(0, expiresIn - 30) * 1000 };
    return token;
  };

  return {
    async token() {
      if (cached && now() < cached.until) return cached.token;
      return fetchToken();
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/** A private key file: a JWK (JSON, its own kid and alg) or a PKCS#8 PEM (kid/alg from options). */
export async function loadPrivateKey(
  path: string,
  fallback: { keyId?: string; alg?: 'RS384' | 'ES384' },
): Promise<{ key: CryptoKey | KeyObject | Uint8Array; keyId: string; alg: 'RS384' | 'ES384' }> {
  const text = readFileSync(path, 'utf8').trim();
  if (text.startsWith('{')) {
    const jwk = JSON.parse(text) as JWK;
    const alg = (jwk.alg ?? fallback.alg ?? 'ES384') as 'RS384' | 'ES384';
    const keyId = fallback.keyId ?? jwk.kid;
    if (!keyId) throw new SmartAuthError('the private key has no kid: give --key-id');
    return { key: await importJWK(jwk, alg), keyId, alg };
  }
  const alg = fallback.alg ?? 'ES384';
  if (!fallback.keyId) throw new SmartAuthError('a PEM private key needs --key-id');
  return { key: await importPKCS8(text, alg), keyId: fallback.keyId, alg };
}
