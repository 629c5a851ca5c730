// A `collection` Bundle [bundle]: resources gathered for the reader, each with the fullUrl
// it is read at (bdl-7 counts on it for identity), no total, no links.

import type { Resource } from './fhir-shapes.js';

export interface CollectionBundle {
  resourceType: 'Bundle';
  type: 'collection';
  entry?: { fullUrl: string; resource: Resource }[];
}

export function renderCollection(entries: readonly { fullUrl: string; resource: Resource }[]): CollectionBundle {
  const bundle: CollectionBundle = { resourceType: 'Bundle', type: 'collection' };
  // R4 forbids empty arrays: no entries, no entry element.
  if (entries.length > 0) bundle.entry = entries.map((e) => ({ fullUrl: e.fullUrl, resource: e.resource }));
  return bundle;
}
