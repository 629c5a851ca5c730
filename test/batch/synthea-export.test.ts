// A real Synthea Bulk Data export that nobody here wrote: five whole patients of the public
// smart-on-fhir/sample-bulk-fhir-datasets (test/fixtures/synthea, see SOURCE.md there), with US
// Core profiles, conditional Practitioner and Organization references, SNOMED conditions and
// many types the study does not read. Each patient is screened three ways, which must give the
// same answers (status, and each criterion's result and reason): $screen with one Bundle per
// patient, the NDJSON $screen with one line per patient, and the nightly finder over the folder.

import { appendFileSync, cpSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPatients, type FindResult } from '../../src/batch/find-patients.js';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { testStudies } from '../helpers/build-app.js';
import { createLogSink } from '../helpers/log-sink.js';
import { openTestStore, type TestStore } from '../helpers/test-store.js';
import { criterionResults, screen, type Json } from '../http/fixtures.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger, tempDir, type TestStorage } from './helpers.js';

const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'synthea');
/** The export's transactionTime (log.ndjson): screened on the day the data were taken. */
const AS_OF = '2024-08-06';

const PATIENTS = {
  adult: '6a4160eb-a793-2f86-2302-378626f46cce', // born 1963, 62 conditions, 93 prescriptions
  allergic: 'cbc86e51-9eca-3855-76ec-c058f72c5761', // born 1995, 8 allergies
  deceased: '3af3708d-41f1-cd80-f3dd-ec5ac76072bf', // born 1960, died 1971
  child: '63ee2253-bdd5-da55-2ad2-b4984d0ad700', // born 2011
  younger: '7bc002fa-dc52-17d6-1563-fd8901826f7d', // born 1978
} as const;
const IDS: string[] = Object.values(PATIENTS).sort();

/** One patient's resources: the Patient and every resource that names it, as $screen takes them. */
function bundleOf(dir: string, patientId: string): Json {
  const entry: Json[] = [];
  for (const name of readdirSync(dir).filter((n) => /^[A-Z]\w*\.\d+\.ndjson$/.test(n)).sort()) {
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const resource = JSON.parse(line) as Json;
      const mine = resource.resourceType === 'Patient' ? resource.id === patientId : line.includes(`"Patient/${patientId}"`);
      if (mine) entry.push({ resource });
    }
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}

interface Answer {
  status: string;
  criteria: Record<string, { result: string; manual: boolean }>;
  reasons: Record<string, string>;
}

function answerOf(subject: Json): Answer {
  expect(subject.resourceType, JSON.stringify(subject).slice(0, 500)).toBe('ResearchSubject');
  const reasons: Record<string, string> = {};
  for (const c of (subject.extension[0].extension as Json[]).filter((e) => e.url === 'criterion')) {
    const part = (url: string) => (c.extension as Json[]).find((p) => p.url === url);
    reasons[part('id')!.valueCode] = part('reason')?.valueString ?? '';
  }
  return { status: subject.status, criteria: criterionResults(subject), reasons };
}

/** $screen, once per patient (a Bundle each), and once for all on NDJSON; by patient id. */
async function screenOverHttp(app: FastifyInstance, dir: string): Promise<{ bundles: Map<string, Json>; ndjson: Map<string, Json> }> {
  const bundles = new Map<string, Json>();
  const lines: string[] = [];
  for (const id of IDS) {
    const bundle = bundleOf(dir, id);
    lines.push(JSON.stringify(bundle));
    const response = await screen(app, bundle, { asOf: AS_OF });
    expect(response.statusCode, response.body.slice(0, 500)).toBe(200);
    bundles.set(id, response.json() as Json);
  }
  const response = await screen(app, `${lines.join('\n')}\n`, {
    asOf: AS_OF,
    contentType: 'application/fhir+ndjson',
    headers: { accept: 'application/fhir+ndjson' },
  });
  expect(response.statusCode).toBe(200);
  const out = response.body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Json);
  expect(out).toHaveLength(IDS.length);
  // One answer a line, in the lines' order.
  const ndjson = new Map(IDS.map((id, i) => [id, out[i]!]));
  return { bundles, ndjson };
}

async function runFinder(input: string, outDir: string, storage: TestStorage): Promise<FindResult> {
  return findPatients(
    { studyId: 'belimumab-iim', asOf: AS_OF, input, outDir, resume: false, workers: 1, mappingsDir: MAPPINGS_DIR, canonicalBase: CANONICAL_BASE, logger: quietLogger },
    storage,
  );
}

describe('a real Synthea export (test/fixtures/synthea)', () => {
  const tmp = tempDir('find-synthea');
  let storage: TestStorage;
  let store: TestStore;
  let app: FastifyInstance;
  beforeAll(async () => {
    storage = await openTestRunStorage();
    store = await openTestStore();
    const config = loadConfig({});
    app = buildApp({ config, store, studies: await testStudies(), logger: createLogger(config.logLevel, createLogSink()) });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.close();
    await storage?.close();
    tmp.remove();
  });

  it('as exported: the finder reads every line without a problem and finds no myositis; $screen and NDJSON agree that no one qualifies', async () => {
    const result = await runFinder(FIXTURE, join(tmp.dir, 'out-as-is'), storage);
    expect(result.counts.problemTotal).toBe(0);
    expect(result.counts.population).toBe(IDS.length);
    expect(result.counts).toMatchObject({ diagnosed: 0, screened: 0, stored: 0, notScreened: 0 });
    expect(result.counts.unusedTypes).toEqual(expect.arrayContaining(['DocumentReference', 'Practitioner', 'Organization']));
    expect(result.counts.ignoredFiles).toEqual(['LICENSE', 'SOURCE.md', 'log.ndjson']);

    const { bundles, ndjson } = await screenOverHttp(app, FIXTURE);
    for (const id of IDS) {
      const viaBundle = answerOf(bundles.get(id)!);
      expect(answerOf(ndjson.get(id)!), id).toEqual(viaBundle);
      // inc-diagnosis (I2): no myositis anywhere in these records.
      expect(viaBundle.criteria['inc-diagnosis']!.result, id).toBe('not-met');
      expect(viaBundle.status, id).toBe('ineligible');
    }
  }, 120_000);

  describe('with a dermatomyositis diagnosis added to each patient', () => {
    const input = join(tmp.dir, 'export');
    let result: FindResult;
    let http: Awaited<ReturnType<typeof screenOverHttp>>;

    beforeAll(async () => {
      cpSync(FIXTURE, input, { recursive: true });
      const added = IDS.map((id, i) =>
        JSON.stringify({
          resourceType: 'Condition',
          id: `added-dm-${i}`,
          clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
          verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
          code: { coding: [{ system: 'http://snomed.info/sct', code: '396230008', display: 'Dermatomyositis (disorder)' }] },
          subject: { reference: `Patient/${id}` },
          onsetDateTime: '2021-03-01T10:00:00-05:00',
        }),
      );
      appendFileSync(join(input, 'Condition.000.ndjson'), `${added.join('\n')}\n`);
      result = await runFinder(input, join(tmp.dir, 'out-dm'), storage);
      http = await screenOverHttp(app, input);
    }, 120_000);

    it('the finder screens and stores every patient, without a problem', () => {
      expect(result.counts.problemTotal).toBe(0);
      expect(result.counts).toMatchObject({ population: IDS.length, diagnosed: IDS.length, screened: IDS.length, stored: IDS.length, notScreened: 0 });
    });

    it('each patient gets the same answer from $screen, the NDJSON $screen and the finder (its run row and its stored ResearchSubject)', async () => {
      const rows = await storage.runs.runPatients(result.run.id);
      expect(rows.map((r) => r.patientRef)).toEqual(IDS.map((id) => `Patient/${id}`));
      for (const row of rows) {
        const id = row.patientRef.slice('Patient/'.length);
        const viaBundle = http.bundles.get(id)!;
        const stored = (await storage.store.getSubject(row.subjectId!))!.resource as Json;
        expect(stored.id, id).toBe(viaBundle.id);
        expect(answerOf(http.ndjson.get(id)!), id).toEqual(answerOf(viaBundle));
        expect(answerOf(stored), id).toEqual(answerOf(viaBundle));
        expect(row.status, id).toBe(viaBundle.status);
        const results = Object.fromEntries(Object.entries(answerOf(viaBundle).criteria).map(([c, r]) => [c, r.result]));
        expect(row.results, id).toEqual(results);
        // The whole resource, evidence and missing data included, but meta (when it was written).
        const { meta: _a, ...fromFinder } = stored;
        const { meta: _b, ...fromScreen } = viaBundle;
        expect(fromFinder, id).toEqual(fromScreen);
      }
    });

    it('answers what these records say (no lab results in this export: much stays unknown)', () => {
      const answers = new Map(IDS.map((id) => [id, answerOf(http.bundles.get(id)!)]));
      const result = (id: string, criterion: string) => answers.get(id)!.criteria[criterion]!.result;
      const reason = (id: string, criterion: string) => answers.get(id)!.reasons[criterion]!;
      for (const id of IDS) expect(result(id, 'inc-diagnosis'), id).toBe('met');
      expect(Object.fromEntries(Object.entries(PATIENTS).map(([who, id]) => [who, answers.get(id)!.status]))).toEqual({
        adult: 'potential-candidate',
        allergic: 'potential-candidate',
        deceased: 'ineligible',
        child: 'ineligible',
        younger: 'potential-candidate',
      });
      // inc-age (I1): at least 18 on the screening date.
      expect(result(PATIENTS.child, 'inc-age')).toBe('not-met');
      expect(reason(PATIENTS.child, 'inc-age')).toContain('13 years old on 2024-08-06');
      // inc-consent (I9): no one consents after death.
      expect(result(PATIENTS.deceased, 'inc-consent')).toBe('not-met');
      expect(reason(PATIENTS.deceased, 'inc-consent')).toContain('died on 1971-10-01');
      // inc-pregnancy-contraception (I10): decided by sex and age alone, else left to a person.
      expect(result(PATIENTS.allergic, 'inc-pregnancy-contraception')).toBe('met');
      expect(result(PATIENTS.adult, 'inc-pregnancy-contraception')).toBe('met');
      expect(result(PATIENTS.younger, 'inc-pregnancy-contraception')).toBe('unknown');
      // Without Observations, the labs stay unknown, never not-met.
      for (const id of IDS) {
        expect(result(id, 'exc-liver-labs'), id).toBe('unknown');
        expect(result(id, 'inc-active-disease'), id).toBe('unknown');
      }
    });
  });
});
