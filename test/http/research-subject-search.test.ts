import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { r4Errors } from '../render/r4-validator.js';
import { MAX_PAGE } from '../../src/schemas/queries.js';
import { candidateBundle, CANDIDATE_AS_OF, issueOf, screen, type Json } from './fixtures.js';

function patient(id: string, tweak?: (b: Json) => void): Json {
  const b = JSON.parse(JSON.stringify(candidateBundle()).replaceAll('example-pat', id)) as Json;
  tweak?.(b);
  return b;
}

async function screenMany(app: FastifyInstance, n: number): Promise<Json[]> {
  const out: Json[] = [];
  for (let i = 0; i < n; i++) out.push((await screen(app, patient(`p${i}`), { asOf: CANDIDATE_AS_OF })).json() as Json);
  return out;
}

describe('GET /ResearchSubject', () => {
  it('pages with total and self/next/previous links that keep the filters', async () => {
    const { app } = await build({ env: { PUBLIC_URL: 'https://prescreen.example.org' } });
    await screenMany(app, 5);
    const first = (await app.inject({ url: '/ResearchSubject?study=belimumab-iim&_count=2' })).json() as Json;
    expect(r4Errors(first)).toEqual([]);
    expect(first).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 5 });
    expect(first.entry).toHaveLength(2);
    expect(first.entry[0].fullUrl).toBe(`https://prescreen.example.org/ResearchSubject/${first.entry[0].resource.id}`);
    const link = (b: Json, rel: string) => b.link.find((l: Json) => l.relation === rel)?.url as string | undefined;
    expect(link(first, 'self')).toBe('https://prescreen.example.org/ResearchSubject?study=belimumab-iim&_count=2&_offset=0');
    expect(link(first, 'previous')).toBeUndefined();
    const next = link(first, 'next')!;
    expect(next).toBe('https://prescreen.example.org/ResearchSubject?study=belimumab-iim&_count=2&_offset=2');

    const seen = new Set<string>(first.entry.map((e: Json) => e.resource.id));
    let page = first;
    let url: string | undefined = next;
    while (url) {
      page = (await app.inject({ url: url.replace('https://prescreen.example.org', '') })).json() as Json;
      for (const e of page.entry ?? []) seen.add(e.resource.id);
      url = link(page, 'next');
    }
    expect(seen.size).toBe(5);
    expect(link(page, 'previous')).toBe('https://prescreen.example.org/ResearchSubject?study=belimumab-iim&_count=2&_offset=2');
  });

  it('filters by study, status and patient', async () => {
    const { app } = await build();
    const screened = await screenMany(app, 2);
    // A 15-year-old: inc-age fails, so this one is ineligible whatever else holds.
    const child = (await screen(app, patient('p-child', (b) => (b.entry[0].resource.birthDate = '2011-01-01')), { asOf: CANDIDATE_AS_OF })).json() as Json;
    expect(child.status).toBe('ineligible');
    const search = async (q: string) => (await app.inject({ url: `/ResearchSubject?${q}` })).json() as Json;

    expect((await search('study=belimumab-iim')).total).toBe(3);
    expect((await search('study=ResearchStudy/belimumab-iim')).total).toBe(3);
    expect((await search('study=other')).total).toBe(0);
    expect((await search('patient=p0')).total).toBe(1);
    expect((await search('patient=Patient/p1')).total).toBe(1);
    const ineligible = await search('status=ineligible');
    expect(ineligible.entry.map((e: Json) => e.resource.individual.reference)).toEqual(['Patient/p-child']);
    const adultStatus = screened[0]!.status as string;
    const adults = await search(`status=${adultStatus}`);
    expect(adults.total).toBe(2);
    expect(adults.entry.every((e: Json) => e.resource.status === adultStatus)).toBe(true);
    const all = await search('status=candidate,potential-candidate,ineligible');
    expect(all.total).toBe(3);
  });

  it('filters by _lastUpdated=ge', async () => {
    const { app } = await build();
    await screenMany(app, 2);
    expect(((await app.inject({ url: '/ResearchSubject?_lastUpdated=ge2000-01-01' })).json() as Json).total).toBe(2);
    expect(((await app.inject({ url: '/ResearchSubject?_lastUpdated=ge2999-01-01T00:00:00Z' })).json() as Json).total).toBe(0);
  });

  it('_count=0 gives the total only; an empty result has no entry', async () => {
    const { app } = await build();
    await screenMany(app, 2);
    const countOnly = (await app.inject({ url: '/ResearchSubject?_count=0' })).json() as Json;
    expect(countOnly.total).toBe(2);
    expect(countOnly).not.toHaveProperty('entry');
    const none = (await app.inject({ url: '/ResearchSubject?patient=nobody' })).json() as Json;
    expect(none).toMatchObject({ total: 0 });
    expect(none).not.toHaveProperty('entry');
  });

  it('caps a _count over the page maximum to it, as FHIR servers do, and pages on', async () => {
    const { app } = await build({ env: { PUBLIC_URL: 'https://prescreen.example.org' } });
    await screenMany(app, 3);
    const link = (b: Json, rel: string) => b.link.find((l: Json) => l.relation === rel)?.url as string | undefined;
    for (const count of ['1000', '100000']) {
      const response = await app.inject({ url: `/ResearchSubject?study=belimumab-iim&_count=${count}` });
      expect(response.statusCode, count).toBe(200);
      const page = response.json() as Json;
      expect(page.entry).toHaveLength(3);
      expect(link(page, 'self')).toBe(`https://prescreen.example.org/ResearchSubject?study=belimumab-iim&_count=${MAX_PAGE}&_offset=0`);
    }
    // Past the cap, the page ends at the maximum and carries its next link.
    const many = await build({ env: { PUBLIC_URL: 'https://prescreen.example.org' } });
    const rows = Array.from({ length: MAX_PAGE + 2 }, (_, i) => patient(`q${i}`));
    for (const b of rows) expect((await screen(many.app, b, { asOf: CANDIDATE_AS_OF })).statusCode).toBe(200);
    const capped = (await many.app.inject({ url: '/ResearchSubject?_count=1000' })).json() as Json;
    expect(capped.total).toBe(MAX_PAGE + 2);
    expect(capped.entry).toHaveLength(MAX_PAGE);
    expect(link(capped, 'next')).toBe(`https://prescreen.example.org/ResearchSubject?_count=${MAX_PAGE}&_offset=${MAX_PAGE}`);
    const rest = (await many.app.inject({ url: `/ResearchSubject?_count=${MAX_PAGE}&_offset=${MAX_PAGE}` })).json() as Json;
    expect(rest.entry).toHaveLength(2);
  });

  it('refuses a status the service never answers (eligible), naming the valid statuses', async () => {
    const { app } = await build();
    for (const status of ['eligible', 'candidate,eligible', 'Candidate']) {
      const response = await app.inject({ url: `/ResearchSubject?status=${status}` });
      expect(response.statusCode, status).toBe(400);
      expect(response.headers['content-type']).toBe('application/fhir+json; charset=utf-8');
      expect(issueOf(response), status).toMatchObject({ code: 'value', coding: 'PRESCREEN_BAD_QUERY' });
      expect(issueOf(response).text).toContain('Parameter: status. Valid statuses: candidate, potential-candidate, ineligible.');
    }
  });
});
