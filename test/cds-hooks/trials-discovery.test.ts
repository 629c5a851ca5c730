// trials-prescreen's discovery entry: the union of every study's prefetch templates, each query
// once under one key, no key naming two queries, every template within the URL length the
// per-study templates keep to. Against the shipped studies and against three at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrefetchTemplates, MAX_CODES_CHARS } from '../../src/cds-hooks/prefetch-templates.js';
import { unionTemplates } from '../../src/cds-hooks/prefetch-union.js';
import { twoStudies, type TwoStudies } from '../helpers/two-studies.js';
import { emptiesIn, listen } from './setup.js';

interface Service {
  id: string;
  hook: string;
  prefetch: Record<string, string>;
}

async function services(env: Record<string, string> = {}, options: Parameters<typeof listen>[1] = {}): Promise<Service[]> {
  const app = await listen(env, options);
  const response = await app.get('/cds-services');
  expect(response.status).toBe(200);
  const body = (await response.json()) as { services: Service[] };
  expect(emptiesIn(body)).toEqual([]);
  return body.services;
}

/** Every template of every study appears once in the union, and the union holds nothing else. */
function expectUnion(all: Service[]): void {
  const trials = all.find((s) => s.id === 'trials-prescreen')!;
  expect(trials.hook).toBe('patient-view');
  const perStudy = all.filter((s) => s.id !== 'trials-prescreen');
  expect(perStudy.length).toBeGreaterThan(1);
  const union = Object.values(trials.prefetch);
  const wanted = new Set(perStudy.flatMap((s) => Object.values(s.prefetch)));
  // Deduplicated: no query twice, so keys cannot clash either (an object holds each key once).
  expect(new Set(union).size).toBe(union.length);
  expect(new Set(union)).toEqual(wanted);
  // Fewer keys than the studies' together: the shared queries (Patient, Condition, ...) are once.
  expect(union.length).toBeLessThan(perStudy.reduce((n, s) => n + Object.keys(s.prefetch).length, 0));
  for (const [key, template] of Object.entries(trials.prefetch)) {
    // The same URL-length rule as a study's own templates: a code list stays within MAX_CODES_CHARS.
    const query = new URLSearchParams(template.split('?')[1] ?? '');
    for (const param of ['code', 'conclusion']) expect((query.get(param) ?? '').length, key).toBeLessThanOrEqual(MAX_CODES_CHARS);
    expect(template.length, key).toBeLessThan(2048);
    expect(template.match(/\{\{[^}]*\}\}/g), key).toEqual(['{{context.patientId}}']);
  }
}

describe('GET /cds-services: trials-prescreen', () => {
  it('lists the union of the shipped studies\' templates, deduplicated, each under the URL length limit', async () => {
    const all = await services();
    expect(all.map((s) => s.id)).toEqual(['belimumab-iim-prescreen', 'glp1-ckd-prescreen', 'trials-prescreen']);
    expectUnion(all);
    const trials = all.find((s) => s.id === 'trials-prescreen')!;
    const [belimumab, glp1] = all;
    // A query both studies make keeps its key; a key both use for different queries is told apart by study.
    expect(trials.prefetch['patient']).toBe('Patient/{{context.patientId}}');
    expect(trials.prefetch['conditions']).toBe('Condition?patient={{context.patientId}}');
    expect(trials.prefetch['diagnosticReports']).toBe(belimumab!.prefetch['diagnosticReports']);
    expect(trials.prefetch['diagnosticReports-glp1-ckd']).toBe(glp1!.prefetch['diagnosticReports']);
    expect(trials.prefetch['observations']).toBe(glp1!.prefetch['observations']);
  });

  describe('with three studies', () => {
    let mappings: TwoStudies;
    beforeAll(async () => {
      mappings = await twoStudies();
    });
    afterAll(() => mappings.remove());

    it('still lists each query once', async () => {
      const all = await services({ MAPPINGS_DIR: mappings.dir }, { studies: mappings.studies });
      expect(all.map((s) => s.id)).toEqual(['belimumab-iim-prescreen', 'glp1-ckd-prescreen', 'kit-demo-prescreen', 'trials-prescreen']);
      expectUnion(all);
    });
  });
});

describe('unionTemplates', () => {
  it('keeps one key per query, never one key for two queries, and names the studies of each', () => {
    const union = unionTemplates([
      { studyId: 'a', templates: [{ key: 'patient', template: 'Patient/{{context.patientId}}' }, { key: 'observations', template: 'Observation?patient={{context.patientId}}&code=x|1' }] },
      {
        studyId: 'b',
        templates: [
          { key: 'patient', template: 'Patient/{{context.patientId}}' },
          { key: 'observations', template: 'Observation?patient={{context.patientId}}&code=x|2' },
          { key: 'observations-b', template: 'Observation?patient={{context.patientId}}&code=x|3' },
        ],
      },
    ]);
    expect(union).toEqual([
      { key: 'patient', template: 'Patient/{{context.patientId}}', studies: ['a', 'b'] },
      { key: 'observations', template: 'Observation?patient={{context.patientId}}&code=x|1', studies: ['a'] },
      { key: 'observations-b', template: 'Observation?patient={{context.patientId}}&code=x|2', studies: ['b'] },
      // Its own key was taken by the renamed query above: suffixed again, still unique.
      { key: 'observations-b-b', template: 'Observation?patient={{context.patientId}}&code=x|3', studies: ['b'] },
    ]);
  });

  it('builds on the per-study templates unchanged', () => {
    const own = buildPrefetchTemplates({ resourceTypes: ['Patient', 'Condition'], observationCodes: [], conclusionCodes: [], unsearchable: [] });
    expect(unionTemplates([{ studyId: 'a', templates: own }]).map(({ key, template }) => ({ key, template }))).toEqual(own);
  });
});
