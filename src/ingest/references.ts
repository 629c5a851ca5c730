// Reference resolution inside one Bundle (or one patient's group of resources), per
// FHIR R4's "Resolving references in Bundles" (bundle.html#references). Resolution is one
// lookup and never follows the resource it finds, so reference cycles cannot loop; nothing
// is ever fetched from the network.

import { parseReference, parseRestfulUrl, referenceText, type ParsedReference } from '../fhir/references.js';
import { isJsonObject } from './json-object.js';
import { jsonEqual } from './json-equal.js';
import { FullUrlIndex } from './full-url-index.js';
import type { FhirResource, RecordEntry } from './patient-record.js';

export interface ResolvedReference {
  resource: FhirResource;
  /** The entry holding the resource: the resource's own entry, or its container's. */
  entry: RecordEntry;
  /** True when the resource is one of `entry`'s contained resources. */
  contained: boolean;
}

/** Entries by fullUrl, the first of each (a FullUrlIndex). */
export interface FullUrlLookup {
  get(url: string): RecordEntry | undefined;
}

export interface ReferenceResolver {
  /** Undefined for anything unresolvable (conditional, outside server, garbage), never a throw. */
  resolve(reference: unknown, from: RecordEntry): ResolvedReference | undefined;
}

/**
 * `fallback` is asked when these entries hold no match: batch mode keeps resources shared by
 * all patients (Medication, Practitioner) in one resolver instead of copying them per patient.
 *
 * Every compartment resource of a Bundle names the same Patient, so resolution is memoised:
 * an absolute or relative reference's target depends only on its text and, for a relative
 * one, the referrer's base; a `#id` depends on the referrer and is not memoised. The indexes
 * are built on first use, and the `Type/id` index only if a relative reference misses its
 * exact fullUrl. `entries` must not change once the resolver is made. `byFullUrl`, when the
 * caller has it (bundleEntries builds it), must be `entries` by fullUrl, the first of each.
 */
export function createReferenceResolver(
  entries: readonly RecordEntry[],
  fallback?: ReferenceResolver,
  byFullUrl?: FullUrlLookup,
): ReferenceResolver {
  let byFullUrlIndex: FullUrlLookup | undefined = byFullUrl;
  let byTypeAndIdIndex: TypeAndIdIndex | undefined;
  const fullUrlIndex = (): FullUrlLookup => (byFullUrlIndex ??= indexByFullUrl(entries));
  const byTypeAndId = (): TypeAndIdIndex => (byTypeAndIdIndex ??= indexByTypeAndId(entries));

  const parsedByText = new Map<string, ParsedReference | null>();
  const absoluteByText = new Map<string, ResolvedReference | undefined>();
  const relativeByText = new Map<string, Map<string | undefined, ResolvedReference | undefined>>();

  const parse = (text: string): ParsedReference | undefined => {
    let parsed = parsedByText.get(text);
    if (parsed === undefined) {
      parsed = parseReference(text) ?? null;
      parsedByText.set(text, parsed);
    }
    return parsed ?? undefined;
  };

  // Not memoised: each entry's fullUrl is its own, so a memo would cost a Map entry per
  // resource and rarely be read again.
  const referrerBase = (fullUrl: string | undefined): string | undefined => parseRestfulUrl(fullUrl)?.base;

  const resolveAbsolute = (text: string, url: string): ResolvedReference | undefined => {
    if (absoluteByText.has(text)) return absoluteByText.get(text);
    const index = fullUrlIndex();
    const found = shared(own(index.get(text) ?? index.get(url)));
    absoluteByText.set(text, found);
    return found;
  };

  const resolveRelative = (text: string, type: string, id: string, base: string | undefined): ResolvedReference | undefined => {
    let byBase = relativeByText.get(text);
    if (!byBase) {
      byBase = new Map();
      relativeByText.set(text, byBase);
    } else if (byBase.has(base)) {
      return byBase.get(base);
    }
    let found: ResolvedReference | undefined;
    if (base !== undefined) found = own(fullUrlIndex().get(`${base}${type}/${id}`));
    found ??= own(byTypeAndIdTolerantly(candidatesFor(byTypeAndId(), type, id), base));
    found = shared(found);
    byBase.set(base, found);
    return found;
  };

  const resolveHere = (reference: unknown, from: RecordEntry): ResolvedReference | undefined => {
    const text = referenceText(reference);
    if (text === undefined || !from) return undefined;
    const parsed = parse(text);
    if (!parsed) return undefined;
    switch (parsed.kind) {
      case 'local':
        return parsed.id === '' ? own(from) : containedIn(from, parsed.id);
      case 'absolute':
        return resolveAbsolute(text, parsed.url);
      case 'relative':
        return resolveRelative(text, parsed.type, parsed.id, referrerBase(from.fullUrl));
      case 'conditional':
        return undefined;
    }
  };

  return {
    resolve: (reference, from) => resolveHere(reference, from) ?? fallback?.resolve(reference, from),
  };
}

function own(entry: RecordEntry | undefined): ResolvedReference | undefined {
  return entry ? { resource: entry.resource, entry, contained: false } : undefined;
}

/** A memoised answer is handed to every caller: frozen, so that none can change it for the rest. */
function shared(resolved: ResolvedReference | undefined): ResolvedReference | undefined {
  return resolved && Object.freeze(resolved);
}

function indexByFullUrl(entries: readonly RecordEntry[]): FullUrlIndex<RecordEntry> {
  const index = new FullUrlIndex<RecordEntry>();
  for (const entry of entries) index.add(entry);
  return index;
}

/** type → id → the entries with that type and id (usually one, so not wrapped in a list). */
type TypeAndIdIndex = Map<string, Map<string, RecordEntry | RecordEntry[]>>;

function indexByTypeAndId(entries: readonly RecordEntry[]): TypeAndIdIndex {
  // Two levels rather than a `Type/id` key: no string is built per entry.
  const index: TypeAndIdIndex = new Map();
  for (const entry of entries) {
    const { resourceType, id } = entry.resource;
    if (typeof id !== 'string') continue;
    let ofType = index.get(resourceType);
    if (!ofType) {
      ofType = new Map();
      index.set(resourceType, ofType);
    }
    const found = ofType.get(id);
    if (found === undefined) ofType.set(id, entry);
    else if (Array.isArray(found)) found.push(entry);
    else ofType.set(id, [found, entry]);
  }
  return index;
}

function candidatesFor(index: TypeAndIdIndex, type: string, id: string): RecordEntry[] | undefined {
  const found = index.get(type)?.get(id);
  return found === undefined ? undefined : Array.isArray(found) ? found : [found];
}

/**
 * Our tolerance for `Type/id` when no fullUrl matches: the entry with that type and id. An
 * entry whose RESTful fullUrl puts it on another server than a RESTful referrer is a
 * different resource that happens to share the id, so it is not a match. Several differing
 * candidates are ambiguous: unresolved, never a guess.
 */
function byTypeAndIdTolerantly(candidates: RecordEntry[] | undefined, referrerBase: string | undefined): RecordEntry | undefined {
  if (!candidates) return undefined;
  const eligible =
    referrerBase === undefined
      ? candidates
      : candidates.filter((c) => {
          const base = parseRestfulUrl(c.fullUrl)?.base;
          return base === undefined || base === referrerBase;
        });
  const [first, ...rest] = eligible;
  if (!first) return undefined;
  return rest.every((other) => jsonEqual(other.resource, first.resource)) ? first : undefined;
}

function containedIn(container: RecordEntry, id: string): ResolvedReference | undefined {
  const contained = container.resource.contained;
  if (!Array.isArray(contained)) return undefined;
  const found: unknown = contained.find(
    (item: unknown) => isJsonObject(item) && item.id === id && typeof item.resourceType === 'string',
  );
  return found ? { resource: found as FhirResource, entry: container, contained: true } : undefined;
}
