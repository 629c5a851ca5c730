// FullUrlIndex (src/ingest/full-url-index.ts): entries by fullUrl, filed by a number read from
// the URL's tail. It must answer exactly as a Map keyed by the URL would, the first of each URL
// kept, whatever the URLs share: same tails, same lengths, or a crafted flood of both.

import { describe, expect, it } from 'vitest';
import { FullUrlIndex } from '../../src/ingest/full-url-index.js';

/** Adds every URL to a FullUrlIndex and to a Map (first kept), and checks they agree. */
function agreesWithMap(urls: string[], probes: string[] = []): void {
  const index = new FullUrlIndex<{ fullUrl?: string }>();
  const map = new Map<string, { fullUrl?: string }>();
  for (const url of urls) {
    const entry = { fullUrl: url };
    expect(index.add(entry)).toBe(!map.has(url));
    if (!map.has(url)) map.set(url, entry);
  }
  expect(index.add({})).toBe(false);
  expect(index.size).toBe(map.size);
  for (const url of [...urls, ...probes]) expect(index.get(url)).toBe(map.get(url));
}

describe('FullUrlIndex', () => {
  it('finds each URL, keeps the first of a repeated one, and misses what was never added', () => {
    const urls = ['urn:uuid:a', 'https://ehr.example.org/fhir/Patient/1', 'urn:uuid:a', 'Observation/o1', ''];
    agreesWithMap(urls, ['urn:uuid:b', 'https://ehr.example.org/fhir/Patient/2', 'urn:uuid:', 'Observation/o']);
  });

  it('tells apart URLs that share their tail and length and differ only at the start', () => {
    const tail = '/Observation/0123456789abcdef';
    const urls = Array.from({ length: 40 }, (_, i) => `https://h${String(i).padStart(2, '0')}.example.org/fhir${tail}`);
    agreesWithMap([...urls, ...urls], [`https://hxx.example.org/fhir${tail}`]);
  });

  it('a flood of URLs built to share one bucket still answers like a Map', () => {
    // 5,000 URLs of one length and one 12-character tail: every one has the same number.
    const urls = Array.from({ length: 5000 }, (_, i) => `https://e.org/${String(i).padStart(6, '0')}/Observation/abcdefghij`);
    agreesWithMap(urls, ['https://e.org/999999/Observation/abcdefghij']);
  });

  it('reads real-looking UUID fullUrls the same as a Map', () => {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    const urls = Array.from({ length: 3000 }, (_, i) => `urn:uuid:${hex(i * 2654435761)}-5dde-8664-c0de-${hex(i)}0000`);
    agreesWithMap(urls, urls.map((u) => u.toUpperCase()));
  });
});
