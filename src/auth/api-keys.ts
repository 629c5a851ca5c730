// Static API keys, for callers that cannot get an OAuth token (a cron job, a script). Only
// each key's SHA-256 is configured and held; a presented key is hashed and compared in
// constant time with every configured hash. SHA-256 (not scrypt) is enough because keys are
// random 256-bit secrets, not passwords: there is nothing to guess from the hash.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { ApiKeyConfig } from './auth-config.js';
import type { Principal } from './principal.js';

export function hashApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** The principal of a presented key, or undefined when it matches none. */
export function matchApiKey(keys: readonly ApiKeyConfig[], presented: string): Principal | undefined {
  const hash = hashApiKey(presented);
  let found: ApiKeyConfig | undefined;
  // No early exit: every hash is compared, so timing says nothing about which key was close.
  for (const key of keys) if (timingSafeEqual(key.hash, hash) && found === undefined) found = key;
  return found === undefined ? undefined : { kind: 'api-key', id: found.name, scopes: found.scopes };
}
