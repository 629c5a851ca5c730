// Turns a CDS call into the one `collection` Bundle that screening reads (standards §1:
// transports merge CDS prefetch into one Bundle). Per prefetch key [Prefetch; table]:
// - a resource or Bundle is data: used, and a searchset's `next` link is followed;
// - `null` means no such data: empty;
// - absent, or an OperationOutcome, means not provided: fetched from fhirServer.
// Anything that cannot be had ends the call (412): screening on silently missing data would
// read an absent history as "none".

import { OperationOutcomeError } from '../fhir/errors.js';
import { createFhirGetter, DataUnavailableError, fhirBase, type FetchLimits, type FhirGetter } from './fhir-fetch.js';
import { fillTemplate, type PrefetchTemplate } from './prefetch-templates.js';

type Json = Record<string, unknown>;

export interface GatherInput {
  patientId: string;
  prefetch: Json | undefined;
  fhirServer: string | undefined;
  accessToken: string | undefined;
}

export interface GatherResult {
  bundle: Json;
  /** Keys fetched from fhirServer (not, or not wholly, prefetched). */
  fetched: string[];
  /** Requests made to fhirServer. */
  requests: number;
}

interface Collected {
  resource: Json;
  fullUrl?: string;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** fhirServer's host, for saying which fetch failed; undefined when it is not a URL. */
function hostOf(fhirServer: string | undefined): string | undefined {
  if (fhirServer === undefined) return undefined;
  try {
    return new URL(fhirServer).host || undefined;
  } catch {
    return undefined;
  }
}

/** A key the call did not provide: absent, or an OperationOutcome in its place. */
function notProvided(prefetch: Json, key: string): boolean {
  if (!Object.hasOwn(prefetch, key)) return true;
  const value = prefetch[key];
  return isObject(value) && value['resourceType'] === 'OperationOutcome';
}

function nextLink(bundle: Json): string | undefined {
  const links = bundle['link'];
  if (!Array.isArray(links)) return undefined;
  for (const link of links) {
    if (isObject(link) && link['relation'] === 'next' && typeof link['url'] === 'string' && link['url'] !== '') return link['url'];
  }
  return undefined;
}

function entriesOf(bundle: Json, into: Collected[]): void {
  const entries = bundle['entry'];
  if (!Array.isArray(entries)) return;
  for (const entry of entries) {
    if (!isObject(entry) || !isObject(entry['resource'])) continue;
    // searchset: keep match and include, skip outcome (standards §1, Bundles in).
    const search = entry['search'];
    if (isObject(search) && search['mode'] === 'outcome') continue;
    const resource = entry['resource'];
    if (resource['resourceType'] === 'OperationOutcome') continue;
    into.push(typeof entry['fullUrl'] === 'string' && entry['fullUrl'] !== '' ? { resource, fullUrl: entry['fullUrl'] } : { resource });
  }
}

export async function gatherPatientData(
  templates: PrefetchTemplate[],
  input: GatherInput,
  limits: FetchLimits & { deadlineMs: number },
): Promise<GatherResult> {
  const prefetch = input.prefetch ?? {};
  let getter: FhirGetter | undefined;
  let stop: AbortController | undefined;
  let requests = 0;
  const fetched: string[] = [];
  // Built only when something must be fetched: a complete prefetch needs no server, no token,
  // and no deadline timer or abort signals (a cost on every call of a busy clinic).
  const server = (): FhirGetter => {
    if (getter === undefined) {
      const base = fhirBase(input.fhirServer, limits.allowlist);
      stop = new AbortController();
      const signal = AbortSignal.any([AbortSignal.timeout(limits.deadlineMs), stop.signal]);
      getter = createFhirGetter(base, input.accessToken, limits, signal);
    }
    return getter;
  };
  const get = (pathOrUrl: string): Promise<unknown> => {
    requests++;
    return server().get(pathOrUrl);
  };

  /** Adds a Bundle's entries and follows its `next` links; or a single resource. */
  const take = async (value: unknown, key: string, into: Collected[], wasFetched: boolean): Promise<void> => {
    if (!isObject(value) || typeof value['resourceType'] !== 'string') throw new DataUnavailableError(wasFetched ? 'bad-body' : 'bad-prefetch');
    if (value['resourceType'] !== 'Bundle') {
      into.push({ resource: value });
      return;
    }
    let page: Json = value;
    for (;;) {
      entriesOf(page, into);
      const next = nextLink(page);
      if (next === undefined) return;
      server().notePage();
      if (!fetched.includes(key)) fetched.push(key);
      const body = await get(next);
      if (!isObject(body) || body['resourceType'] !== 'Bundle') throw new DataUnavailableError('bad-body');
      page = body;
    }
  };

  const perKey = async (t: PrefetchTemplate): Promise<Collected[]> => {
    const into: Collected[] = [];
    const given = Object.prototype.hasOwnProperty.call(prefetch, t.key);
    const value = given ? prefetch[t.key] : undefined;
    try {
      if (given && value === null) return into;
      if (given && isObject(value) && value['resourceType'] !== 'OperationOutcome') {
        await take(value, t.key, into, false);
        return into;
      }
      if (given && !isObject(value)) {
        throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: `prefetch.${t.key}` });
      }
      fetched.push(t.key);
      await take(await get(fillTemplate(t.template, input.patientId)), t.key, into, true);
      return into;
    } catch (error) {
      if (error instanceof DataUnavailableError) {
        error.key ??= t.key;
        error.host ??= hostOf(input.fhirServer);
      }
      throw error;
    }
  };

  // Named in the 412 when the data cannot be had, so the caller sees what it left out.
  const missingKeys = (): string[] => templates.filter((t) => notProvided(prefetch, t.key)).map((t) => t.key);
  let parts: Collected[][];
  try {
    parts = await Promise.all(templates.map(perKey));
  } catch (error) {
    if (error instanceof DataUnavailableError) error.missingKeys = missingKeys();
    throw error;
  } finally {
    // Nothing outlives the call: queued or running requests are cancelled.
    if (stop !== undefined && !stop.signal.aborted) stop.abort();
  }

  const all = parts.flat();
  const patients = all.filter((c) => c.resource['resourceType'] === 'Patient');
  // A null or empty Patient means there is no one to screen; the prefetch is not usable.
  if (patients.length === 0) {
    const error = new DataUnavailableError('no-patient');
    error.missingKeys = missingKeys();
    throw error;
  }
  for (const p of patients) {
    if (p.resource['id'] !== input.patientId) {
      throw new OperationOutcomeError('PRESCREEN_FOREIGN_RECORD', { expression: 'prefetch.patient' });
    }
  }
  const ordered = [...patients, ...all.filter((c) => c.resource['resourceType'] !== 'Patient')];
  return {
    bundle: {
      resourceType: 'Bundle',
      type: 'collection',
      entry: ordered.map((c) => (c.fullUrl ? { fullUrl: c.fullUrl, resource: c.resource } : { resource: c.resource })),
    },
    fetched,
    requests,
  };
}
