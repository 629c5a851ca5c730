// Object.prototype names in a realistic patient (issue 14 §1), deterministically, on all four
// channels: $screen, NDJSON $screen, CDS Hooks and the nightly finder. Each answers 200 (the
// finder screens the patient) with what the same patient gets when every such name is spelt
// harmlessly (`xconstructor`): an unknown unit, code or system is unknown data, nothing more.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPatients } from '../../src/batch/find-patients.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger, tempDir } from '../batch/helpers.js';
import { build } from '../helpers/build-app.js';
import { criterionResults, SCREEN_URL } from '../http/fixtures.js';
import { cdsCallFrom, SEEDS, type Json } from './fuzz-helpers.js';
import { PROTOTYPE_NAMES, withPrototypeNames } from './prototype-names.js';

const AS_OF = '2026-10-26';
const candidate = SEEDS[1]!; // examples/candidate-dm.json
const poisoned = (): Json => withPrototypeNames(candidate, (name) => name);
const control = (): Json => withPrototypeNames(candidate, (name) => `x${name}`);

/** Status and every criterion's result: what must not depend on how the names are spelt. */
function answerOf(subject: Json): { status: string; results: Record<string, string> } {
  const results: Record<string, string> = {};
  for (const [id, r] of Object.entries(criterionResults(subject))) results[id] = r.result;
  return { status: subject['status'], results };
}

function criterion(subject: Json, id: string): Json[] {
  const all = subject['extension'][0].extension as Json[];
  return all.find((e) => e.url === 'criterion' && e.extension.some((p: Json) => p.url === 'id' && p.valueCode === id))!.extension;
}

describe('Object.prototype names in units, codes, systems, ids and texts', () => {
  it('$screen answers 200 with the answer the harmless spelling gets, and says the unit cannot be read', async () => {
    const { app, logs } = await build({ env: { LOG_LEVEL: 'warn' } });
    const answers: Json[] = [];
    for (const bundle of [poisoned(), control()]) {
      const response = await app.inject({ method: 'POST', url: `${SCREEN_URL}?asOf=${AS_OF}`, headers: { 'content-type': 'application/fhir+json' }, payload: bundle });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      answers.push(response.json() as Json);
    }
    const [named, harmless] = answers as [Json, Json];
    expect(named['individual'].reference).toBe('Patient/constructor');
    expect(answerOf(named)).toEqual(answerOf(harmless));
    // The INR's unit `constructor` is unreadable data (E13 liver labs), named in the reason.
    const liver = criterion(named, 'exc-liver-labs');
    expect(JSON.stringify(liver)).toContain("unit 'constructor' cannot be converted");
    expect(logs.records().filter((r) => Number(r['level']) >= 50)).toEqual([]);
  });

  it('NDJSON $screen answers each line with the answer the harmless spelling gets', async () => {
    const { app } = await build({ env: { LOG_LEVEL: 'warn' } });
    const payload = `${JSON.stringify(poisoned())}\n${JSON.stringify(control())}\n`;
    const response = await app.inject({ method: 'POST', url: `${SCREEN_URL}?asOf=${AS_OF}`, headers: { 'content-type': 'application/fhir+ndjson' }, payload });
    expect(response.statusCode).toBe(200);
    const lines = response.body.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => l['resourceType'])).toEqual(['ResearchSubject', 'ResearchSubject']);
    expect(answerOf(lines[0]!)).toEqual(answerOf(lines[1]!));
  });

  it('the CDS service answers 200 with cards, and stores the answer the harmless spelling gets', async () => {
    const { app, store } = await build({ env: { LOG_LEVEL: 'warn' } });
    const discovery = (await app.inject({ method: 'GET', url: '/cds-services' })).json() as { services: { id: string; prefetch: Record<string, string> }[] };
    const service = discovery.services[0]!;
    for (const bundle of [poisoned(), control()]) {
      const call = cdsCallFrom(bundle, service.prefetch, []);
      const response = await app.inject({ method: 'POST', url: `/cds-services/${service.id}`, headers: { 'content-type': 'application/json' }, payload: call });
      expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
      expect(Array.isArray((response.json() as Json)['cards'])).toBe(true);
    }
    const stored = (await store.searchSubjects({ count: 10, offset: 0 })).items.map((s) => s.resource as Json);
    const of = (ref: string) => stored.find((s) => s['individual'].reference === ref)!;
    expect(answerOf(of('Patient/constructor'))).toEqual(answerOf(of('Patient/xconstructor')));
  });

  it('paths, query parameters and their values so named answer 200 or a 4xx OperationOutcome, never a 500', async () => {
    const { app, logs } = await build({ env: { LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0' } });
    const body = JSON.stringify(control());
    for (const name of PROTOTYPE_NAMES) {
      const n = encodeURIComponent(name);
      const calls: { method: 'GET' | 'POST'; url: string; payload?: string }[] = [
        { method: 'POST', url: `/ResearchStudy/${n}/$screen?asOf=${AS_OF}`, payload: body },
        { method: 'POST', url: `${SCREEN_URL}?asOf=${AS_OF}&${n}=1`, payload: body },
        { method: 'POST', url: `${SCREEN_URL}?asOf=${n}`, payload: body },
        { method: 'GET', url: `/ResearchStudy/${n}` },
        { method: 'GET', url: `/ResearchSubject/${n}` },
        { method: 'GET', url: `/ResearchSubject?${n}=1` },
        { method: 'GET', url: `/ResearchSubject?status=${n}&failing=${n}&study=${n}&_sort=${n}` },
        { method: 'GET', url: `/OperationDefinition/${n}` },
        { method: 'GET', url: `/AuditEvent?${n}=1` },
        { method: 'POST', url: `/cds-services/${n}`, payload: '{}' },
        { method: 'POST', url: `/cds-services/${n}/feedback`, payload: '{}' },
      ];
      for (const call of calls) {
        const response = await app.inject({ ...call, headers: { 'content-type': 'application/fhir+json' } });
        expect(response.statusCode, `${call.method} ${call.url}: ${response.body.slice(0, 200)}`).toBeLessThan(500);
      }
    }
    expect(logs.records().filter((r) => Number(r['level']) >= 50)).toEqual([]);
  });

  it('the nightly finder screens the patient from a Bulk export, with the answer $screen gives', async () => {
    const { app } = await build({ env: { LOG_LEVEL: 'warn' } });
    const expected = (await app.inject({ method: 'POST', url: `${SCREEN_URL}?asOf=${AS_OF}`, headers: { 'content-type': 'application/fhir+json' }, payload: control() })).json() as Json;

    const tmp = tempDir('prototype-names');
    const storage = await openTestRunStorage();
    try {
      const input = join(tmp.dir, 'export');
      mkdirSync(input);
      const byType = new Map<string, string[]>();
      for (const { resource } of poisoned()['entry'] as Json[]) {
        const lines = byType.get(resource['resourceType']) ?? [];
        lines.push(JSON.stringify(resource));
        byType.set(resource['resourceType'], lines);
      }
      for (const [type, lines] of byType) writeFileSync(join(input, `${type}.ndjson`), `${lines.join('\n')}\n`);

      const result = await findPatients(
        { studyId: 'belimumab-iim', asOf: AS_OF, input, outDir: join(tmp.dir, 'out'), resume: false, workers: 1, mappingsDir: MAPPINGS_DIR, canonicalBase: CANONICAL_BASE, logger: quietLogger },
        storage,
      );
      expect(result.run.status).toBe('complete');
      expect(result.counts.problems).toEqual({});
      const rows = await storage.runs.runPatients(result.run.id);
      expect(rows.map((r) => r.patientRef)).toEqual(['Patient/constructor']);
      expect({ status: rows[0]!.status, results: rows[0]!.results }).toEqual(answerOf(expected));
    } finally {
      await storage.close();
      tmp.remove();
    }
  }, 60_000);
});
