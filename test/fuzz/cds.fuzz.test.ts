// The CDS service under generated calls: prefetch built from mutated Bundles (and nulls and
// junk), mutated envelopes, arbitrary JSON. Never a 5xx or a crash; a 200 is `{cards}`, anything
// else an OperationOutcome; a ResearchSubject is stored exactly when the answer is 200.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from '../helpers/build-app.js';
import { cdsCallFrom as callFrom, expectOperationOutcome, FC_PARAMS, FUZZ_RUNS, mutatedBundle, nasty, parseJson, setAt, stringPathsOf, toText, writesFrom, type Json } from './fuzz-helpers.js';
import { PROTOTYPE_NAMES } from './prototype-names.js';

const RUNS = Math.max(1, Math.ceil(FUZZ_RUNS / 2));

// A study's own service stores one result a call; trials-prescreen one per study.
describe.each([
  { service: 'belimumab-iim-prescreen', stored: 1 },
  { service: 'trials-prescreen', stored: 2 },
])(`CDS service fuzz: $service (${RUNS} calls)`, ({ service, stored }) => {
  const SERVICE = `/cds-services/${service}`;
  it('answers every call with cards or an OperationOutcome, storing only on 200', async () => {
    const { app, store, logs } = await build({ env: { RATE_LIMIT_MAX: '0', LOG_LEVEL: 'warn' } });
    const discovery = (await app.inject({ method: 'GET', url: '/cds-services' })).json() as { services: { id: string; prefetch: Record<string, string> }[] };
    const templates = discovery.services.find((s) => s.id === service)!.prefetch;
    let ok = 0;

    const call = fc.oneof(
      { arbitrary: fc.tuple(mutatedBundle, fc.array(fc.option(nasty, { nil: undefined, freq: 3 }), { maxLength: 3 })).map(([b, holes]) => toText(callFrom(b, templates, holes))), weight: 8 },
      {
        arbitrary: fc.tuple(mutatedBundle, fc.constantFrom('hook', 'hookInstance', 'context', 'prefetch', 'fhirServer', 'fhirAuthorization'), nasty).map(([b, field, value]) =>
          toText({ ...callFrom(b, templates, []), [field]: value }),
        ),
        weight: 3,
      },
      {
        // Object.prototype names in the envelope (hook, context, fhirAuthorization, prefetch)
        // and as prefetch keys of their own.
        arbitrary: fc
          .tuple(
            mutatedBundle,
            fc.array(fc.tuple(fc.nat(), fc.constantFrom(...PROTOTYPE_NAMES)), { minLength: 1, maxLength: 3 }),
            fc.subarray([...PROTOTYPE_NAMES], { maxLength: 3 }),
            fc.constantFrom(...PROTOTYPE_NAMES),
          )
          .map(([b, names, keys, name]) => {
            const call: Json = {
              ...callFrom(b, templates, []),
              fhirAuthorization: { access_token: name, token_type: 'Bearer', expires_in: 300, scope: name, subject: name },
            };
            call.prefetch = { ...call.prefetch, ...Object.fromEntries(keys.map((k) => [k, null])) };
            const paths = stringPathsOf(call);
            for (const [at, value] of names) setAt(call, paths[at % paths.length]!, value);
            return toText(call);
          }),
        weight: 3,
      },
      { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 2 },
      { arbitrary: fc.string({ unit: 'binary', maxLength: 100 }), weight: 1 },
    );

    await fc.assert(
      fc.asyncProperty(call, async (body) => {
        const started = await writesFrom();
        const response = await app.inject({ method: 'POST', url: SERVICE, headers: { 'content-type': 'application/json' }, payload: body });
        expect(response.statusCode).toBeLessThan(500);
        const answer = parseJson(response.body);
        const written = await store.searchSubjects({ count: 5, offset: 0, lastUpdatedFrom: started });
        if (response.statusCode === 200) {
          expect(Array.isArray(answer['cards'])).toBe(true);
          expect(written.total).toBe(stored);
          ok++;
        } else {
          expectOperationOutcome(answer);
          expect(written.total).toBe(0);
        }
      }),
      { ...FC_PARAMS, numRuns: RUNS },
    );
    expect(ok).toBeGreaterThan(0);
    expect(logs.records().filter((r) => Number(r['level']) >= 50)).toEqual([]);
  }, 600_000);
});
