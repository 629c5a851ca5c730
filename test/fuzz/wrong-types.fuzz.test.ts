// Wrong types in every field: each element of a valid Bundle (every path the model could read,
// and every other) replaced in turn by each wrong-typed value. Deterministic, not sampled.

import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { SCREEN_URL } from '../http/fixtures.js';
import { expectOperationOutcome, expectResearchSubject, parseJson, pathsOf, SEEDS, setAt, writesFrom, type Json } from './fuzz-helpers.js';

const WRONG: unknown[] = [null, 42, 'text', true, [], {}, '2026-02-30'];

describe('wrong types in every field', () => {
  it('never answers 5xx, and stores only the 200s', async () => {
    const { app, store } = await build({ env: { RATE_LIMIT_MAX: '0', LOG_LEVEL: 'warn' } });
    const seed = SEEDS[0]!;
    const paths = pathsOf(seed);
    let requests = 0;
    for (const path of paths) {
      for (const value of WRONG) {
        const bundle = structuredClone(seed) as Json;
        setAt(bundle, path, value);
        const started = await writesFrom();
        const response = await app.inject({ method: 'POST', url: `${SCREEN_URL}?asOf=2026-11-24`, headers: { 'content-type': 'application/fhir+json' }, payload: JSON.stringify(bundle) });
        requests++;
        expect(response.statusCode, `${path.join('.')} = ${JSON.stringify(value)}`).toBeLessThan(500);
        const answer = parseJson(response.body);
        const written = await store.searchSubjects({ count: 2, offset: 0, lastUpdatedFrom: started });
        if (response.statusCode === 200) {
          expectResearchSubject(answer);
          expect(written.total).toBe(1);
        } else {
          expectOperationOutcome(answer);
          expect(written.total, `${path.join(".")} = ${JSON.stringify(value)}: ${response.statusCode}`).toBe(0);
        }
      }
    }
    expect(requests).toBe(paths.length * WRONG.length);
  }, 600_000);
});
