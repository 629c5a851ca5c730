// The resources a Bundle carries, by the rules of standards.md "Bundles in" [bundle]:
// every one of the 9 types, data only in top-level `entry[].resource`, search outcomes and
// superseded or deleted history versions left out, and identical copies collapsed.
//
// Structural garbage (an entry that is not an object, a resource that is a string, a
// fullUrl that is a number) is a 400, not a silently skipped entry: screening on data we
// quietly dropped could read a missing exclusion as "no history". An entry with no resource
// at all is normal (a DELETE, a transaction-response status) and is skipped.

import { OperationOutcomeError } from '../fhir/errors.js';
import { parseReference, parseRestfulUrl } from '../fhir/references.js';
import { isJsonObject } from './json-object.js';
import { jsonEqual } from './json-equal.js';
import type { FhirResource } from './patient-record.js';
import { isUsableFullUrl, isUsableId } from './resource-id.js';

export const BUNDLE_TYPES = [
  'document',
  'message',
  'transaction',
  'transaction-response',
  'batch',
  'batch-response',
  'history',
  'searchset',
  'collection',
] as const;

export type BundleType = (typeof BUNDLE_TYPES)[number];

/** One patient's data is a few thousand resources; far more is a misrouted export. */
export const DEFAULT_MAX_ENTRIES = 20_000;

export interface BundleEntry {
  resource: FhirResource;
  fullUrl?: string;
  /** Position in `Bundle.entry`. */
  index: number;
  /** FHIRPath of the entry, e.g. `Bundle.entry[3]`. */
  path: string;
}

export type SkipReason = 'no-resource' | 'search-outcome' | 'older-version' | 'deleted' | 'identical-copy';

export interface SkippedEntry {
  index: number;
  reason: SkipReason;
}

export interface BundleContent {
  type: BundleType;
  /** Kept entries, in input order. */
  entries: BundleEntry[];
  skipped: SkippedEntry[];
}

export interface BundleEntriesOptions {
  /** Entries allowed in `Bundle.entry`, counted before anything is skipped. */
  maxEntries?: number;
  /** FHIRPath of the Bundle in the request, `Bundle` unless it came inside Parameters. */
  rootPath?: string;
}

interface RawEntry {
  index: number;
  path: string;
  resource: FhirResource | undefined;
  fullUrl: string | undefined;
  entry: Record<string, unknown>;
}

export function bundleEntries(bundle: unknown, options: BundleEntriesOptions = {}): BundleContent {
  const root = options.rootPath ?? 'Bundle';
  if (!isJsonObject(bundle) || bundle.resourceType !== 'Bundle') {
    throw new OperationOutcomeError('PRESCREEN_NOT_BUNDLE');
  }
  const type = bundleType(bundle.type, root);
  const entry = bundle.entry ?? [];
  if (!Array.isArray(entry)) throw new OperationOutcomeError('PRESCREEN_BAD_BUNDLE', { expression: `${root}.entry` });
  // Counted before anything is read, so an oversized Bundle is turned away without reading it.
  if (entry.length > (options.maxEntries ?? DEFAULT_MAX_ENTRIES)) {
    throw new OperationOutcomeError('PRESCREEN_TOO_MANY_ENTRIES', { expression: `${root}.entry` });
  }

  const skipped: SkippedEntry[] = [];
  const raw: RawEntry[] = [];
  entry.forEach((item: unknown, index) => {
    const found = readEntry(item, index, `${root}.entry[${index}]`);
    if (type === 'searchset' && isJsonObject(found.entry.search) && found.entry.search.mode === 'outcome') {
      skipped.push({ index, reason: 'search-outcome' });
    } else {
      raw.push(found);
    }
  });

  const entries = type === 'history' ? newestVersions(raw, skipped) : collapseCopies(raw, skipped);
  skipped.sort((a, b) => a.index - b.index);
  return { type, entries, skipped };
}

function bundleType(value: unknown, root: string): BundleType {
  // Bundle.type is 1..1, but hand-made Bundles often leave it out; a collection is the only
  // reading that adds no meaning the sender did not state.
  if (value === undefined) return 'collection';
  if (typeof value === 'string' && (BUNDLE_TYPES as readonly string[]).includes(value)) return value as BundleType;
  throw new OperationOutcomeError('PRESCREEN_BAD_BUNDLE', { expression: `${root}.type` });
}

function bad(path: string, suffix: string): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_BAD_BUNDLE', { expression: path + suffix });
}

function readEntry(item: unknown, index: number, path: string): RawEntry {
  if (!isJsonObject(item)) throw bad(path, '');
  const fullUrl = item.fullUrl;
  if (fullUrl !== undefined && !isUsableFullUrl(fullUrl)) {
    throw bad(path, '.fullUrl');
  }
  const resource = item.resource;
  if (resource !== undefined) {
    if (!isJsonObject(resource) || typeof resource.resourceType !== 'string' || resource.resourceType.length === 0) {
      throw bad(path, '.resource');
    }
    if (resource.id !== undefined && !isUsableId(resource.id)) {
      throw bad(path, '.resource.id');
    }
  }
  return { index, path, resource: resource as FhirResource | undefined, fullUrl, entry: item };
}

function toEntry(raw: RawEntry & { resource: FhirResource }): BundleEntry {
  const kept: BundleEntry = { resource: raw.resource, index: raw.index, path: raw.path };
  if (raw.fullUrl !== undefined) kept.fullUrl = raw.fullUrl;
  return kept;
}

function hasResource(raw: RawEntry): raw is RawEntry & { resource: FhirResource } {
  return raw.resource !== undefined;
}

/** Identity is fullUrl, else `Type/id` [bdl-7]; identical copies collapse, differing ones are a 422. */
function collapseCopies(raw: RawEntry[], skipped: SkippedEntry[]): BundleEntry[] {
  const byIdentity = new Map<string, RawEntry>();
  const kept: BundleEntry[] = [];
  for (const item of raw) {
    if (!hasResource(item)) {
      skipped.push({ index: item.index, reason: 'no-resource' });
      continue;
    }
    const identity = item.fullUrl ?? (item.resource.id !== undefined ? `${item.resource.resourceType}/${item.resource.id}` : undefined);
    if (identity !== undefined) {
      const first = byIdentity.get(identity);
      if (first) {
        if (!jsonEqual(first.resource, item.resource)) {
          throw new OperationOutcomeError('PRESCREEN_CONFLICTING_DUPLICATE', { expression: item.path });
        }
        skipped.push({ index: item.index, reason: 'identical-copy' });
        continue;
      }
      byIdentity.set(identity, item);
    }
    kept.push(toEntry(item));
  }
  return kept;
}

/**
 * History is newest first: the first entry seen for a resource is its current state, and a
 * DELETE there means the resource is gone. A DELETE usually has no resource and no fullUrl,
 * only `request.url` (`Patient/1/_history/3`), so an entry is known by every name it carries
 * and two entries sharing any name are versions of one resource.
 */
function newestVersions(raw: RawEntry[], skipped: SkippedEntry[]): BundleEntry[] {
  const seen = new Set<string>();
  const kept: BundleEntry[] = [];
  for (const item of raw) {
    const names = historyNames(item);
    if (names.some((name) => seen.has(name))) {
      for (const name of names) seen.add(name);
      skipped.push({ index: item.index, reason: 'older-version' });
      continue;
    }
    for (const name of names) seen.add(name);
    const request = item.entry.request;
    if (isJsonObject(request) && request.method === 'DELETE') {
      skipped.push({ index: item.index, reason: 'deleted' });
    } else if (!hasResource(item)) {
      skipped.push({ index: item.index, reason: 'no-resource' });
    } else {
      kept.push(toEntry(item));
    }
  }
  return kept;
}

function historyNames(item: RawEntry): string[] {
  const names: string[] = [];
  const addUrl = (url: string) => {
    names.push(`url ${url}`);
    const restful = parseRestfulUrl(url);
    if (restful) names.push(`id ${restful.type}/${restful.id}`);
  };
  if (item.fullUrl !== undefined) addUrl(item.fullUrl);
  if (item.resource?.id !== undefined) names.push(`id ${item.resource.resourceType}/${item.resource.id}`);
  const request = item.entry.request;
  if (isJsonObject(request)) {
    const target = parseReference(request.url);
    if (target?.kind === 'relative') names.push(`id ${target.type}/${target.id}`);
    if (target?.kind === 'absolute') addUrl(target.url);
  }
  return names;
}
