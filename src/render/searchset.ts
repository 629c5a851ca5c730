// A searchset Bundle with total and paging links (self, next, previous).

import type { Resource } from './fhir-shapes.js';

export interface SearchsetLinks {
  self: string;
  next?: string;
  previous?: string;
}

export interface SearchsetBundle {
  resourceType: 'Bundle';
  type: 'searchset';
  total: number;
  link: { relation: string; url: string }[];
  entry?: { fullUrl: string; resource: Resource; search: { mode: 'match' } }[];
}

export function renderSearchset(
  total: number,
  entries: { fullUrl: string; resource: Resource }[],
  links: SearchsetLinks,
): SearchsetBundle {
  const link = [{ relation: 'self', url: links.self }];
  if (links.next) link.push({ relation: 'next', url: links.next });
  if (links.previous) link.push({ relation: 'previous', url: links.previous });
  const bundle: SearchsetBundle = { resourceType: 'Bundle', type: 'searchset', total, link };
  // R4 forbids empty arrays, so a page with no matches has no entry element at all.
  if (entries.length > 0) {
    bundle.entry = entries.map((e) => ({ fullUrl: e.fullUrl, resource: e.resource, search: { mode: 'match' } }));
  }
  return bundle;
}
