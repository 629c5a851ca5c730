// GETs from the CDS client's fhirServer with its bearer token [Calling a CDS Service;
// Prefetch]. Only fhirServer's own origin ever sees the token: paging links and redirects to
// any other origin are refused, and CDS_FHIR_ALLOWLIST (when set) limits which origins
// fhirServer may name at all (no SSRF). Every request has its own timeout under one deadline
// for the whole call; bodies are read up to a byte limit. The token is never logged or stored:
// failures carry only a fixed reason.

export type UnavailableReason =
  | 'no-server'
  | 'no-token'
  | 'origin-not-allowed'
  | 'foreign-link'
  | 'redirect'
  | 'timeout'
  | 'network'
  | 'status'
  | 'too-large'
  | 'bad-body'
  | 'too-many-pages'
  | 'no-patient'
  /** A prefetch value that is an object but not a FHIR resource. */
  | 'bad-prefetch';

/** The data cannot be had: the route answers 412 incomplete. */
export class DataUnavailableError extends Error {
  /** The prefetch key whose data could not be had (prefetch.ts fills it in). */
  key: string | undefined;
  /** fhirServer's host, never its URL (whose path names the patient) nor the token. */
  host: string | undefined;
  /** The keys the call did not prefetch (absent or an OperationOutcome). */
  missingKeys: string[] = [];

  constructor(
    readonly reason: UnavailableReason,
    readonly status?: number,
  ) {
    super(`data unavailable: ${reason}`);
    this.name = 'DataUnavailableError';
  }
}

export interface FetchLimits {
  timeoutMs: number;
  concurrency: number;
  maxPages: number;
  maxBytes: number;
  /** Origins fhirServer may name; undefined = any. */
  allowlist: string[] | undefined;
}

const MAX_REDIRECTS = 3;

/** fhirServer as a base URL, or DataUnavailableError when it may not be used. */
export function fhirBase(fhirServer: string | undefined, allowlist: string[] | undefined): URL {
  if (fhirServer === undefined) throw new DataUnavailableError('no-server');
  let url: URL;
  try {
    url = new URL(fhirServer);
  } catch {
    throw new DataUnavailableError('origin-not-allowed');
  }
  // Credentials in the URL would be sent along; the only credential allowed is the token.
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '') {
    throw new DataUnavailableError('origin-not-allowed');
  }
  if (allowlist !== undefined && !allowlist.includes(url.origin)) throw new DataUnavailableError('origin-not-allowed');
  url.search = '';
  url.hash = '';
  if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
  return url;
}

/** Runs at most `n` at once, in order of arrival. */
export function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    else active++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      // The slot passes straight to the next caller, so `active` never overshoots.
      if (next) next();
      else active--;
    }
  };
}

async function readLimited(response: Response, maxBytes: number): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new DataUnavailableError('too-large');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export interface FhirGetter {
  /** A path relative to fhirServer, or an absolute URL on its origin (a `next` link). */
  get(pathOrUrl: string): Promise<unknown>;
  /** Counts pages fetched by `next` links, against maxPages. */
  notePage(): void;
}

export function createFhirGetter(base: URL, token: string | undefined, limits: FetchLimits, deadline: AbortSignal): FhirGetter {
  if (token === undefined) throw new DataUnavailableError('no-token');
  const run = limiter(limits.concurrency);
  let pages = 0;

  const once = async (url: URL): Promise<unknown> => {
    let current = url;
    for (let hop = 0; ; hop++) {
      if (current.origin !== base.origin) throw new DataUnavailableError(hop === 0 ? 'foreign-link' : 'redirect');
      let response: Response;
      try {
        response = await fetch(current, {
          method: 'GET',
          headers: { accept: 'application/fhir+json, application/json', authorization: `Bearer ${token}` },
          redirect: 'manual',
          signal: AbortSignal.any([AbortSignal.timeout(limits.timeoutMs), deadline]),
        });
      } catch (error) {
        const name = (error as { name?: string }).name;
        throw new DataUnavailableError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
      }
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => undefined);
        const location = response.headers.get('location');
        if (location === null || hop >= MAX_REDIRECTS) throw new DataUnavailableError('redirect');
        current = new URL(location, current);
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel().catch(() => undefined);
        throw new DataUnavailableError('status', response.status);
      }
      let text: string;
      try {
        text = await readLimited(response, limits.maxBytes);
      } catch (error) {
        if (error instanceof DataUnavailableError) throw error;
        const name = (error as { name?: string }).name;
        throw new DataUnavailableError(name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new DataUnavailableError('bad-body');
      }
    }
  };

  return {
    get: (pathOrUrl) => run(() => once(new URL(pathOrUrl, base))),
    notePage: () => {
      pages++;
      if (pages > limits.maxPages) throw new DataUnavailableError('too-many-pages');
    },
  };
}
