// The resources a Bundle carries, by these rules (FHIR R4 Bundle):
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
import { evidenceRef } from './assemble-patient-record.js';
import { jsonEqual } from './json-equal.js';
import type { FhirResource, RecordEntry } from './patient-record.js';
import { FullUrlIndex } from './full-url-index.js';
import { isUsableFullUrl, isUsableIdIn } from './resource-id.js';

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

/**
 * A kept entry, ready to be a RecordEntry. Its evidence ref and its paths are made when first
 * asked: most resources of a Bundle are never cited, and a path only ever names an error.
 */
export class BundleEntry implements RecordEntry {
  #ref: string | undefined;

  constructor(
    readonly resource: FhirResource,
    readonly fullUrl: string | undefined,
    /** Position in `Bundle.entry`. */
    readonly index: number,
    private readonly root: string,
  ) {}

  get ref(): string {
    return (this.#ref ??= evidenceRef(this.resource, this.fullUrl));
  }

  /** FHIRPath of the entry, e.g. `Bundle.entry[3]`. */
  get entryPath(): string {
    return `${this.root}.entry[${this.index}]`;
  }

  /** FHIRPath of the resource, e.g. `Bundle.entry[3].resource`. */
  get path(): string {
    return `${this.entryPath}.resource`;
  }
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
  /**
   * The kept entries by fullUrl (unique among them), for the reference resolver: built while
   * identical copies are collapsed, so the resolver need not build it again.
   */
  byFullUrl: FullUrlIndex<BundleEntry>;
}

export interface BundleEntriesOptions {
  /** Entries allowed in `Bundle.entry`, counted before anything is skipped. */
  maxEntries?: number;
  /** FHIRPath of the Bundle in the request, `Bundle` unless it came inside Parameters. */
  rootPath?: string;
}

interface RawEntry {
  index: number;
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
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  if (entry.length > maxEntries) {
    throw new OperationOutcomeError('PRESCREEN_TOO_MANY_ENTRIES', {
      expression: `${root}.entry`,
      detail: `The limit is ${maxEntries} entries (setting MAX_ENTRIES).`,
    });
  }
  // Every entry is checked before any is kept, so the first bad entry is the one named,
  // whatever duplicates follow it.
  for (let index = 0; index < entry.length; index++) checkEntry(entry[index], index, root);

  const skipped: SkippedEntry[] = [];
  const content = type === 'history' ? newestVersions(entry, root, skipped) : collapseCopies(entry, type, root, skipped);
  skipped.sort((a, b) => a.index - b.index);
  return { type, entries: content.entries, skipped, byFullUrl: content.byFullUrl };
}

function bundleType(value: unknown, root: string): BundleType {
  // Bundle.type is 1..1, but hand-made Bundles often leave it out; a collection is the only
  // reading that adds no meaning the sender did not state.
  if (value === undefined) return 'collection';
  if (typeof value === 'string' && (BUNDLE_TYPES as readonly string[]).includes(value)) return value as BundleType;
  throw new OperationOutcomeError('PRESCREEN_BAD_BUNDLE', { expression: `${root}.type` });
}

function bad(root: string, index: number, suffix: string): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_BAD_BUNDLE', { expression: `${root}.entry[${index}]${suffix}` });
}

function checkEntry(item: unknown, index: number, root: string): void {
  if (!isJsonObject(item)) throw bad(root, index, '');
  const fullUrl = item.fullUrl;
  if (fullUrl !== undefined && !isUsableFullUrl(fullUrl)) {
    throw bad(root, index, '.fullUrl');
  }
  const resource = item.resource;
  if (resource !== undefined) {
    if (!isJsonObject(resource) || typeof resource.resourceType !== 'string' || resource.resourceType.length === 0) {
      throw bad(root, index, '.resource');
    }
    if (resource.id !== undefined && !isUsableIdIn(resource.id, fullUrl)) {
      throw bad(root, index, '.resource.id');
    }
  }
}

/** An entry checkEntry has passed. */
function readEntry(item: unknown, index: number): RawEntry {
  const e = item as Record<string, unknown>;
  return { index, resource: e['resource'] as FhirResource | undefined, fullUrl: e['fullUrl'] as string | undefined, entry: e };
}

interface Kept {
  entries: BundleEntry[];
  byFullUrl: FullUrlIndex<BundleEntry>;
}

/** Identity is fullUrl, else `Type/id` [bdl-7]; identical copies collapse, differing ones are a 422. */
function collapseCopies(entry: unknown[], type: BundleType, root: string, skipped: SkippedEntry[]): Kept {
  const byFullUrl = new FullUrlIndex<BundleEntry>();
  let byTypeAndId: Map<string, BundleEntry> | undefined;
  const entries: BundleEntry[] = [];
  for (let index = 0; index < entry.length; index++) {
    const item = entry[index] as Record<string, unknown>;
    if (type === 'searchset' && isJsonObject(item['search']) && item['search']['mode'] === 'outcome') {
      skipped.push({ index, reason: 'search-outcome' });
      continue;
    }
    const resource = item['resource'] as FhirResource | undefined;
    if (resource === undefined) {
      skipped.push({ index, reason: 'no-resource' });
      continue;
    }
    const fullUrl = item['fullUrl'] as string | undefined;
    // One namespace for both kinds of identity, split in two maps only so that the fullUrl one
    // is the resolver's index as it stands.
    const identity = fullUrl ?? (resource.id !== undefined ? `${resource.resourceType}/${resource.id}` : undefined);
    const first = identity === undefined ? undefined : (byFullUrl.get(identity) ?? byTypeAndId?.get(identity));
    if (first) {
      if (!jsonEqual(first.resource, resource)) {
        throw new OperationOutcomeError('PRESCREEN_CONFLICTING_DUPLICATE', { expression: `${root}.entry[${index}]` });
      }
      skipped.push({ index, reason: 'identical-copy' });
      continue;
    }
    const kept = new BundleEntry(resource, fullUrl, index, root);
    if (fullUrl !== undefined) byFullUrl.add(kept);
    else if (identity !== undefined) (byTypeAndId ??= new Map()).set(identity, kept);
    entries.push(kept);
  }
  return { entries, byFullUrl };
}

/**
 * History is newest first: the first entry seen for a resource is its current state, and a
 * DELETE there means the resource is gone. A DELETE usually has no resource and no fullUrl,
 * only `request.url` (`Patient/1/_history/3`), so an entry is known by every name it carries
 * and two entries sharing any name are versions of one resource.
 */
function newestVersions(entry: unknown[], root: string, skipped: SkippedEntry[]): Kept {
  const seen = new Set<string>();
  const entries: BundleEntry[] = [];
  const byFullUrl = new FullUrlIndex<BundleEntry>();
  for (let index = 0; index < entry.length; index++) {
    const item = readEntry(entry[index], index);
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
    } else if (item.resource === undefined) {
      skipped.push({ index: item.index, reason: 'no-resource' });
    } else {
      const kept = new BundleEntry(item.resource, item.fullUrl, index, root);
      // A fullUrl is one of an entry's names, so no two kept entries share one.
      byFullUrl.add(kept);
      entries.push(kept);
    }
  }
  return { entries, byFullUrl };
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
