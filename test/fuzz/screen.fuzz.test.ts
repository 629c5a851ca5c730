// $screen (JSON) under generated bodies: never a 5xx, never a crash, always a valid
// ResearchSubject (200) or OperationOutcome, and the store holds exactly what was answered 200.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { SCREEN_URL } from '../http/fixtures.js';
import { expectOperationOutcome, expectResearchSubject, FC_PARAMS, FUZZ_RUNS, parseJson, screenBody, writesFrom, type Json } from './fuzz-helpers.js';

const asOfQuery = fc.option(fc.constantFrom('2026-11-24', '2020-02-29', '2026-02-30', '2026-1-1', 'x', '99999-01-01', '', 'constructor', '__proto__'), { nil: undefined });

describe(`$screen fuzz (${FUZZ_RUNS} bodies)`, () => {
  it('answers every body with a ResearchSubject or an OperationOutcome, and stores only the 200s', async () => {
    const { app, store, logs } = await build({ env: { RATE_LIMIT_MAX: '0', LOG_LEVEL: 'warn' } });
    const answered = new Map<string, Json>();
    const statuses = new Map<number, number>();

    await fc.assert(
      fc.asyncProperty(screenBody, asOfQuery, fc.constantFrom('application/fhir+json', 'application/json'), async (body, asOf, contentType) => {
        const started = await writesFrom();
        const response = await app.inject({
          method: 'POST',
          url: asOf === undefined ? SCREEN_URL : `${SCREEN_URL}?asOf=${encodeURIComponent(asOf)}`,
          headers: { 'content-type': contentType },
          payload: body,
        });
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
        expect(response.statusCode).toBeLessThan(500);
        const answer = parseJson(response.body);
        const written = await store.searchSubjects({ count: 5, offset: 0, lastUpdatedFrom: started });
        if (response.statusCode === 200) {
          expectResearchSubject(answer);
          if (answer['meta']?.versionId === undefined) {
            // Not stored: the store keeps this patient's result for a later asOf.
            expect(written.total).toBe(0);
            expect(answered.has(answer['id'])).toBe(true);
          } else {
            expect(written.items.map((s) => s.id)).toEqual([answer['id']]);
            answered.set(answer['id'], answer);
          }
        } else {
          expectOperationOutcome(answer);
          expect(written.total).toBe(0);
        }
      }),
      FC_PARAMS,
    );

    const all = await store.searchSubjects({ count: 100, offset: 0 });
    expect(all.total).toBe(answered.size);
    for (const stored of all.items) expect(stored.resource).toEqual(answered.get(stored.id));
    expect(logs.records().filter((r) => Number(r['level']) >= 50)).toEqual([]);
    // Both kinds of answer happened: the generator reaches the screening, not just the parser.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
  }, 600_000);
});
