// GETs from the CDS client's fhirServer with its bearer token [Calling a CDS Service;
// Prefetch]. Only fhirServer's own origin ever sees the token: paging links and redirects to
// any other origin are refused, and fhir-origin.ts decides which origins fhirServer may name
// and which addresses their connections may reach (no SSRF). node:http(s) rather than fetch:
// its socket takes our lookup, so the connection goes to the addresses that were checked.
// Every request has its own timeout under one deadline for the whole call; bodies are read up
// to a byte limit. The token is never logged or stored: failures carry only a fixed reason.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AddressRefusedError, checkedLookup, originRule, systemLookup, type HostLookup } from './fhir-origin.js';

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
  /** CDS_FHIR_ALLOWLIST: exact origins, or `*`; undefined = loopback origins only (fhir-origin.ts). */
  allowlist: string[] | undefined;
  /** Resolves fhirServer's host name; dns.lookup unless a test injects one. */
  lookup?: HostLookup;
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
  // Literal addresses are settled here; a name's addresses when its socket resolves it.
  if (originRule(url, allowlist) === undefined) throw new DataUnavailableError('origin-not-allowed');
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

async function readLimited(response: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.destroy();
      throw new DataUnavailableError('too-large');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Failures to connect, send or read: a timeout when the signal ended it. */
function transportFailure(error: unknown, signal: AbortSignal): DataUnavailableError {
  if (error instanceof DataUnavailableError) return error;
  if (error instanceof AddressRefusedError) return new DataUnavailableError('origin-not-allowed');
  const name = (error as { name?: string }).name;
  return new DataUnavailableError(signal.aborted || name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'network');
}

function send(url: URL, headers: Record<string, string>, signal: AbortSignal, lookup: ReturnType<typeof checkedLookup>): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'GET', headers, signal, lookup }, resolve);
    request.once('error', reject);
    request.end();
  });
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

  // fhirBase has already refused an origin without a rule.
  const lookup = checkedLookup(originRule(base, limits.allowlist) ?? 'loopback', limits.lookup ?? systemLookup);
  const headers = { accept: 'application/fhir+json, application/json', authorization: `Bearer ${token}` };

  const once = async (url: URL): Promise<unknown> => {
    let current = url;
    for (let hop = 0; ; hop++) {
      if (current.origin !== base.origin) throw new DataUnavailableError(hop === 0 ? 'foreign-link' : 'redirect');
      const signal = AbortSignal.any([AbortSignal.timeout(limits.timeoutMs), deadline]);
      let response: IncomingMessage;
      try {
        response = await send(current, headers, signal, lookup);
      } catch (error) {
        throw transportFailure(error, signal);
      }
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        response.destroy();
        const location = response.headers.location;
        if (location === undefined || hop >= MAX_REDIRECTS) throw new DataUnavailableError('redirect');
        try {
          current = new URL(location, current);
        } catch {
          throw new DataUnavailableError('redirect');
        }
        continue;
      }
      if (status !== 200) {
        response.destroy();
        throw new DataUnavailableError('status', status);
      }
      let text: string;
      try {
        text = await readLimited(response, limits.maxBytes);
      } catch (error) {
        throw transportFailure(error, signal);
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
