// self / next / previous links for a paged search, keeping the client's own parameters.

import type { SearchsetLinks } from '../render/searchset.js';

const PAGING = new Set(['_offset', '_count']);

export function pageLinks(
  url: string,
  query: Record<string, unknown>,
  page: { offset: number; count: number; total: number },
): SearchsetLinks {
  const kept = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (PAGING.has(name) || value === undefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) kept.append(name, String(v));
  }
  const at = (offset: number): string => {
    const params = new URLSearchParams(kept);
    params.set('_count', String(page.count));
    params.set('_offset', String(offset));
    return `${url}?${params.toString()}`;
  };
  const links: SearchsetLinks = { self: at(page.offset) };
  if (page.count > 0 && page.offset + page.count < page.total) links.next = at(page.offset + page.count);
  if (page.offset > 0 && page.count > 0) links.previous = at(Math.max(0, page.offset - page.count));
  return links;
}
