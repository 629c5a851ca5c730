// The type-level $screen (POST /ResearchStudy/$screen) under generated bodies and study lists:
// never a 5xx, always a collection Bundle of valid ResearchSubjects (200) or an OperationOutcome,
// and the store holds a patient's result for every screened study or for none.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { expectOperationOutcome, expectResearchSubject, FC_PARAMS, FUZZ_RUNS, parseJson, screenBody, writesFrom, type Json } from './fuzz-helpers.js';

const STUDIES = ['belimumab-iim', 'glp1-ckd'];

/** `study=` values: real ids, lists, repeats, empties and names of Object.prototype members. */
const studyQuery = fc.option(
  fc.oneof(
    fc.constantFrom('belimumab-iim', 'glp1-ckd', 'glp1-ckd,belimumab-iim', 'ResearchStudy/glp1-ckd', 'glp1-ckd,glp1-ckd', '', ',', 'a,,b'),
    fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', 'belimumab-iim,__proto__', 'ResearchStudy/constructor'),
    fc.string({ maxLength: 12 }),
  ),
  { nil: undefined },
);

describe(`type-level $screen fuzz (${FUZZ_RUNS} bodies)`, () => {
  it('answers every body and study list with a Bundle of ResearchSubjects or an OperationOutcome, storing all or nothing', async () => {
    const { app, store, logs } = await build({ env: { RATE_LIMIT_MAX: '0', LOG_LEVEL: 'warn' } });
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(screenBody, studyQuery, async (body, study) => {
        const started = await writesFrom();
        const response = await app.inject({
          method: 'POST',
          url: study === undefined ? '/ResearchStudy/$screen?asOf=2026-10-26' : `/ResearchStudy/$screen?asOf=2026-10-26&study=${encodeURIComponent(study)}`,
          headers: { 'content-type': 'application/fhir+json' },
          payload: body,
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode).toBeLessThan(500);
        const answer = parseJson(response.body);
        const written = await store.searchSubjects({ count: 10, offset: 0, lastUpdatedFrom: started });
        if (response.statusCode !== 200) {
          expectOperationOutcome(answer);
          expect(written.total).toBe(0);
          return;
        }
        expect(answer['resourceType']).toBe('Bundle');
        expect(answer['type']).toBe('collection');
        const subjects = (answer['entry'] as Json[]).map((e) => e['resource'] as Json);
        expect(subjects.length).toBeGreaterThan(0);
        for (const subject of subjects) expectResearchSubject(subject);
        // In the order of GET /ResearchStudy, each study once.
        const studies = subjects.map((s) => String(s['study']['reference']).replace('ResearchStudy/', ''));
        expect(studies).toEqual(STUDIES.filter((id) => studies.includes(id)));
        // Stored together: every answered version is in the store (a result kept for a later asOf has no version).
        const storedIds = new Set(written.items.map((s) => s.id));
        for (const subject of subjects) expect(storedIds.has(subject['id'])).toBe(subject['meta']?.versionId !== undefined);
      }),
      FC_PARAMS,
    );

    expect(logs.records().filter((r) => Number(r['level']) >= 50)).toEqual([]);
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  }, 600_000);
});
