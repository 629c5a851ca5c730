// Reference resolution inside one Bundle (or one patient's group of resources), per
// standards.md "References" [bundle: Resolving references in Bundles]. Resolution is one
// lookup and never follows the resource it finds, so reference cycles cannot loop; nothing
// is ever fetched from the network.

import { parseReference, parseRestfulUrl, referenceText } from '../fhir/references.js';
import { isJsonObject } from './json-object.js';
import { jsonEqual } from './json-equal.js';
import type { FhirResource, RecordEntry } from './patient-record.js';

export interface ResolvedReference {
  resource: FhirResource;
  /** The entry holding the resource: the resource's own entry, or its container's. */
  entry: RecordEntry;
  /** True when the resource is one of `entry`'s contained resources. */
  contained: boolean;
}

export interface ReferenceResolver {
  /** Undefined for anything unresolvable (conditional, outside server, garbage), never a throw. */
  resolve(reference: unknown, from: RecordEntry): ResolvedReference | undefined;
}

/**
 * `fallback` is asked when these entries hold no match: batch mode keeps resources shared by
 * all patients (Medication, Practitioner) in one resolver instead of copying them per patient.
 */
export function createReferenceResolver(entries: readonly RecordEntry[], fallback?: ReferenceResolver): ReferenceResolver {
  const byFullUrl = new Map<string, RecordEntry>();
  const byTypeAndId = new Map<string, RecordEntry[]>();
  for (const entry of entries) {
    if (entry.fullUrl !== undefined && !byFullUrl.has(entry.fullUrl)) byFullUrl.set(entry.fullUrl, entry);
    const { resourceType, id } = entry.resource;
    if (typeof id === 'string') {
      const key = `${resourceType}/${id}`;
      const list = byTypeAndId.get(key);
      if (list) list.push(entry);
      else byTypeAndId.set(key, [entry]);
    }
  }

  const own = (entry: RecordEntry | undefined): ResolvedReference | undefined =>
    entry ? { resource: entry.resource, entry, contained: false } : undefined;

  const resolveHere = (reference: unknown, from: RecordEntry): ResolvedReference | undefined => {
    const parsed = parseReference(reference);
    if (!parsed || !from) return undefined;
    switch (parsed.kind) {
      case 'local':
        return parsed.id === '' ? own(from) : containedIn(from, parsed.id);
      case 'absolute':
        return own(byFullUrl.get(referenceText(reference)!) ?? byFullUrl.get(parsed.url));
      case 'relative': {
        const referrer = parseRestfulUrl(from.fullUrl);
        if (referrer) {
          const exact = byFullUrl.get(`${referrer.base}${parsed.type}/${parsed.id}`);
          if (exact) return own(exact);
        }
        return own(byTypeAndIdTolerantly(byTypeAndId.get(`${parsed.type}/${parsed.id}`), referrer?.base));
      }
      case 'conditional':
        return undefined;
    }
  };

  return {
    resolve: (reference, from) => resolveHere(reference, from) ?? fallback?.resolve(reference, from),
  };
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
