// $screen in NDJSON mode under generated batches: one answer line per input line, in order,
// each a valid ResearchSubject or OperationOutcome; never a 5xx or a crash; the store holds
// exactly the lines answered with a ResearchSubject.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { SCREEN_URL } from '../http/fixtures.js';
import { expectOperationOutcome, expectResearchSubject, FC_PARAMS, FUZZ_RUNS, mutatedBundle, nasty, parseJson, screenBody, toText, writesFrom, type Json } from './fuzz-helpers.js';

const line = fc.oneof(
  { arbitrary: screenBody.map((b) => b.replace(/[\r\n]/g, ' ')), weight: 6 },
  { arbitrary: mutatedBundle.map(toText), weight: 3 },
  { arbitrary: nasty.map(toText), weight: 1 },
  { arbitrary: fc.constantFrom('', ' ', '\t', '{', '\u0000'), weight: 1 },
);
const RUNS = Math.max(1, Math.ceil(FUZZ_RUNS / 3));

describe(`NDJSON $screen fuzz (${RUNS} batches of 1-4 lines)`, () => {
  it('answers each line in order and stores exactly the lines answered with a ResearchSubject', async () => {
    const { app, store, logs } = await build({ env: { RATE_LIMIT_MAX: '0', LOG_LEVEL: 'warn' } });
    const answered = new Map<string, Json>();

    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'), async (lines, eol) => {
        const started = await writesFrom();
        const response = await app.inject({
          method: 'POST',
          url: `${SCREEN_URL}?asOf=2026-11-24`,
          headers: { 'content-type': 'application/fhir+ndjson' },
          payload: lines.join(eol) + eol,
        });
        expect(response.statusCode).toBe(200);
        const expected = lines.filter((l) => l.trim() !== '').length;
        const out = response.body.split('\n').filter((l) => l !== '').map(parseJson);
        expect(out).toHaveLength(expected);
        const ids: string[] = [];
        for (const resource of out) {
          if (resource['resourceType'] === 'ResearchSubject') {
            expectResearchSubject(resource);
            ids.push(resource['id']);
            answered.set(resource['id'], resource);
          } else expectOperationOutcome(resource);
        }
        const written = await store.searchSubjects({ count: 10, offset: 0, lastUpdatedFrom: started });
        expect(new Set(written.items.map((s) => s.id))).toEqual(new Set(ids));
      }),
      { ...FC_PARAMS, numRuns: RUNS },
    );

    const all = await store.searchSubjects({ count: 100, offset: 0 });
    expect(all.total).toBe(answered.size);
    for (const stored of all.items) expect(stored.resource).toEqual(answered.get(stored.id));
    expect(logs.records().filter((r) => Number(r['level']) >= 50)).toEqual([]);
  }, 600_000);
});
