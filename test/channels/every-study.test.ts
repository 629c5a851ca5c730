// Every channel serves every study in MAPPINGS_DIR (issue 15 §5), proven with two at once over
// real HTTP: belimumab-iim (TypeScript criteria and kit rules) beside kit-demo (kit rules only,
// a test fixture no source file names). The study a request names decides the answer: the
// FHIR reads and search, $screen and NDJSON, CDS discovery and its services, the worklist
// search and page API, and the nightly finder's CLI with --study.

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildCdsSample, studyTemplates } from '../../scripts/cds-sample.js';
import { todayUtc } from '../../src/http/today-utc.js';
import { openRunStorage } from '../../src/storage/open-run-storage.js';
import { criteriaOf, listen, type Listening } from '../cds-hooks/setup.js';
import type { Store } from '../../src/storage/store.js';
import { openTestRunStorage, tempDir } from '../batch/helpers.js';
import { criterionResults } from '../http/fixtures.js';
import { glp1CkdPatients, kitDemoPatients, studyPatients, twoStudies, type Json, type TestPatient, type TwoStudies } from '../helpers/two-studies.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const STUDY_IDS = ['belimumab-iim', 'glp1-ckd', 'kit-demo'];
const FHIR_JSON = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

let mappings: TwoStudies;
beforeAll(async () => {
  mappings = await twoStudies();
});
afterAll(() => mappings.remove());

/** The embedded store in DATA_DIR, whatever the developer's shell points DATABASE_URL at. */
function withoutDatabase(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { DATABASE_URL: _url, ...rest } = env;
  return rest;
}

/** Listening on 127.0.0.1; `store` gives it one with run history (the worklist's runs view). */
async function serve(store?: Store): Promise<Listening> {
  return listen({ MAPPINGS_DIR: mappings.dir }, { studies: mappings.studies, ...(store ? { store } : {}) });
}

async function screenOne(app: Listening, studyId: string, patient: TestPatient, asOf: string): Promise<Json> {
  const response = await app.post(`/ResearchStudy/${studyId}/$screen?asOf=${asOf}`, patient.bundle, FHIR_JSON);
  expect(response.status, `${studyId} ${patient.name}`).toBe(200);
  return (await response.json()) as Json;
}

describe('two studies from one MAPPINGS_DIR, over real HTTP', () => {
  it('GET /ResearchStudy lists every study as a searchset, and each reads on its own', async () => {
    const app = await serve();
    const search = await app.get('/ResearchStudy', { accept: 'application/fhir+json' });
    expect(search.status).toBe(200);
    const bundle = (await search.json()) as Json;
    expect(bundle['type']).toBe('searchset');
    expect(bundle['total']).toBe(STUDY_IDS.length);
    expect(bundle['entry'].map((e: Json) => e.resource.id)).toEqual(STUDY_IDS);
    for (const id of STUDY_IDS) {
      const read = await app.get(`/ResearchStudy/${id}`, { accept: 'application/fhir+json' });
      expect(read.status).toBe(200);
      const study = (await read.json()) as Json;
      expect(study['id']).toBe(id);
      // Its criteria, in its own study.yaml's order, in the contained Group.
      const group = study['contained'].find((r: Json) => r.resourceType === 'Group');
      expect(group.characteristic.length).toBe(mappings.studies.get(id)!.criteria.length);
    }
    const unknown = await app.get('/ResearchStudy/glp1-nothing', { accept: 'application/fhir+json' });
    expect(unknown.status).toBe(404);
    expect(JSON.stringify(await unknown.json())).toContain(STUDY_IDS.join(', '));
  });

  it('the CapabilityStatement names both studies, and the $screen OperationDefinition applies to each', async () => {
    const app = await serve();
    const statement = (await (await app.get('/metadata', { accept: 'application/fhir+json' })).json()) as Json;
    const researchStudy = statement['rest'][0].resource.find((r: Json) => r.type === 'ResearchStudy');
    for (const id of STUDY_IDS) expect(researchStudy.documentation).toContain(`ResearchStudy/${id}`);
    const definition = await app.get(`/OperationDefinition/ResearchStudy-screen`, { accept: 'application/fhir+json' });
    expect(definition.status).toBe(200);
    expect(((await definition.json()) as Json)['instance']).toBe(true);
  });

  it('$screen answers for the study it is posted to, with that study\'s criteria; NDJSON too, line by line', async () => {
    const app = await serve();
    const asOf = todayUtc();
    for (const { studyId, patients } of studyPatients(asOf)) {
      const ids = mappings.studies.get(studyId)!.criteria.map((c) => c.id);
      const single = await Promise.all(patients.map((p) => screenOne(app, studyId, p, asOf)));
      for (const subject of single) {
        expect(subject['study']).toEqual({ reference: `ResearchStudy/${studyId}` });
        expect(Object.keys(criterionResults(subject))).toEqual(ids);
      }
      const body = patients.map((p) => JSON.stringify(p.bundle)).join('\n') + '\n';
      const response = await app.post(`/ResearchStudy/${studyId}/$screen?asOf=${asOf}`, body, { 'content-type': 'application/fhir+ndjson' });
      expect(response.status).toBe(200);
      const lines = (await response.text()).trim().split('\n').map((l) => JSON.parse(l) as Json);
      expect(lines.map((l) => l['resourceType'])).toEqual(patients.map(() => 'ResearchSubject'));
      // Line k is what $screen answers for patient k (meta aside: the NDJSON write is version 2).
      expect(lines.map((l) => ({ ...l, meta: undefined }))).toEqual(single.map((s) => ({ ...s, meta: undefined })));
    }
    // The kit-demo outcomes its rules give (I3, I4, E1, I2).
    const kit = await Promise.all(kitDemoPatients(asOf).map((p) => screenOne(app, 'kit-demo', p, asOf)));
    expect(kit.map((s) => s['status'])).toEqual(['candidate', 'potential-candidate', 'ineligible', 'ineligible']);
  });

  it('CDS discovery lists one service per study, with its own prefetch, and each answers a card for its candidate', async () => {
    const app = await serve();
    const discovery = (await (await app.get('/cds-services')).json()) as { services: { id: string; prefetch: Record<string, string> }[] };
    expect(discovery.services.map((s) => s.id)).toEqual([...STUDY_IDS.map((id) => `${id}-prescreen`), 'trials-prescreen']);
    const belimumab = discovery.services.find((s) => s.id === 'belimumab-iim-prescreen');
    const kit = discovery.services.find((s) => s.id === 'kit-demo-prescreen');
    // Each prefetches its own study's labs: kit-demo only HbA1c codes, belimumab-iim its many labs.
    expect(JSON.stringify(kit!.prefetch)).toContain('4548-4');
    expect(Object.keys(kit!.prefetch).length).toBeLessThan(Object.keys(belimumab!.prefetch).length);

    const today = todayUtc();
    const candidates: Record<string, TestPatient> = {
      'belimumab-iim': studyPatients(today)[0]!.patients[0]!,
      'glp1-ckd': glp1CkdPatients()[0]!,
      'kit-demo': kitDemoPatients(today)[0]!,
    };
    for (const studyId of STUDY_IDS) {
      const service = discovery.services.find((s) => s.id === `${studyId}-prescreen`)!;
      const templates = studyTemplates(studyId, mappings.dir);
      expect(Object.fromEntries(templates.map((t) => [t.key, t.template]))).toEqual(service.prefetch);
      const request = buildCdsSample(candidates[studyId]!.bundle, templates);
      const response = await app.post(`/cds-services/${service.id}`, request);
      expect(response.status, studyId).toBe(200);
      const { cards } = (await response.json()) as { cards: Json[] };
      expect(cards, studyId).toHaveLength(1);
      // The trial by its title, or by its acronym where the title would not fit.
      const { title, acronym } = mappings.studies.get(studyId)!.mapping;
      expect(cards[0]!['summary']).toContain(acronym ?? title);
      // The stored result is the study's, and what $screen gives for the same data today.
      const id = (cards[0]!['links'] as { url: string }[])[0]!.url.split('/app#/subject/')[1]!;
      const stored = (await app.store.getSubject(id))!.resource;
      expect(stored['study']).toEqual({ reference: `ResearchStudy/${studyId}` });
      expect(criteriaOf(stored)).toEqual(criteriaOf(await screenOne(app, studyId, candidates[studyId]!, today)));
    }
  });

  it('the worklist search, its page API and the page settings filter by study', async () => {
    const storage = await openTestRunStorage();
    onTestFinished(() => storage.close());
    const app = await serve(storage.store);
    const asOf = todayUtc();
    for (const { studyId, patients } of studyPatients(asOf)) {
      for (const p of patients) await screenOne(app, studyId, p, asOf);
    }
    for (const { studyId, patients } of studyPatients(asOf)) {
      const response = await app.get(`/ResearchSubject?study=${studyId}&_count=50`, { accept: 'application/fhir+json' });
      const bundle = (await response.json()) as Json;
      expect(bundle['total']).toBe(patients.length);
      expect(bundle['entry'].map((e: Json) => e.resource.individual.reference).sort()).toEqual(patients.map((p) => `Patient/${p.patientId}`).sort());
    }
    // held-by names a criterion of the study searched: kit-demo's E1 holds only its type 1 patient.
    const held = (await (await app.get('/ResearchSubject?study=kit-demo&held-by=exc-type1-diabetes', { accept: 'application/fhir+json' })).json()) as Json;
    expect(held['entry'].map((e: Json) => e.resource.individual.reference)).toEqual(['Patient/kd-type1']);
    const both = (await (await app.get('/ResearchSubject?_count=50', { accept: 'application/fhir+json' })).json()) as Json;
    expect(both['total']).toBe(studyPatients(asOf).reduce((n, s) => n + s.patients.length, 0));

    // The page's study switcher is filled from /app/api/config: both studies, with their criteria.
    const config = (await (await app.get('/app/api/config')).json()) as { studies: { id: string; criteria: { id: string }[] }[] };
    expect(config.studies.map((s) => s.id)).toEqual(STUDY_IDS);
    for (const s of config.studies) expect(s.criteria.map((c) => c.id)).toEqual(mappings.studies.get(s.id)!.criteria.map((c) => c.id));
    for (const id of STUDY_IDS) {
      const runs = await app.get(`/app/api/studies/${id}/runs`);
      expect(runs.status).toBe(200);
      expect(((await runs.json()) as Json)['study']).toBe(id);
      const summary = await app.get(`/app/api/studies/${id}/criterion-summary`);
      expect(((await summary.json()) as Json)['criteria'].length).toBe(mappings.studies.get(id)!.criteria.length);
    }
    expect((await app.get('/app/api/studies/nothing/runs')).status).toBe(404);
  });
});

describe('the nightly finder with --study kit-demo', () => {
  const tmp = tempDir('finder-kit-demo');
  afterAll(() => tmp.remove());

  it('screens a small export for kit-demo and stores what $screen answers, each as a kit-demo result', async () => {
    const asOf = todayUtc();
    const patients = kitDemoPatients(asOf);
    const input = join(tmp.dir, 'export');
    mkdirSync(input);
    const byType = new Map<string, string[]>();
    for (const p of patients) {
      for (const { resource } of p.bundle['entry'] as { resource: Json }[]) {
        byType.set(resource['resourceType'], [...(byType.get(resource['resourceType']) ?? []), JSON.stringify(resource)]);
      }
    }
    for (const [type, lines] of byType) writeFileSync(join(input, `${type}.ndjson`), `${lines.join('\n')}\n`);

    const dataDir = join(tmp.dir, 'data');
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/batch/cli.ts'), 'find', '--study', 'kit-demo', '--input', input, '--as-of', asOf, '--out', join(tmp.dir, 'out'), '--workers', '1'], {
      cwd: ROOT,
      env: { ...withoutDatabase(process.env), MAPPINGS_DIR: mappings.dir, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
    });
    expect(child.status, child.stderr).toBe(0);
    const summary = JSON.parse(child.stdout) as Json;
    expect(summary).toMatchObject({ status: 'complete', studyId: 'kit-demo', population: patients.length });

    const app = await serve();
    const expected = new Map<string, Json>();
    for (const p of patients) expected.set(`Patient/${p.patientId}`, await screenOne(app, 'kit-demo', p, asOf));

    const storage = await openRunStorage({ dataDir });
    try {
      const rows = await storage.runs.runPatients(String(summary['runId']));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const want = expected.get(row.patientRef)!;
        expect({ status: row.status, results: row.results }, row.patientRef).toEqual({
          status: want['status'],
          results: Object.fromEntries(Object.entries(criterionResults(want)).map(([id, r]) => [id, r.result])),
        });
        if (row.subjectId !== undefined) {
          const stored = (await storage.store.getSubject(row.subjectId))!.resource;
          expect({ ...stored, meta: undefined }).toEqual({ ...want, meta: undefined });
        }
      }
      // The prefilter reads kit-demo's entry criterion (I2, type 2 diabetes): the patient without
      // it is never screened, and the funnel drops them there, not at belimumab-iim's inc-diagnosis.
      expect(rows.map((r) => r.patientRef).sort()).toEqual(['Patient/kd-candidate', 'Patient/kd-no-hba1c', 'Patient/kd-type1']);
      const funnel = JSON.parse(readFileSync(join(tmp.dir, 'out', 'funnel.json'), 'utf8')) as { steps: { criterion: string; dropped: number }[]; final: number };
      expect(funnel.steps.map((s) => [s.criterion, s.dropped])).toEqual([
        ['inc-age', 0],
        ['inc-type2-diabetes', 1],
        ['inc-hba1c', 0],
        ['inc-consent', 0],
        ['exc-type1-diabetes', 1],
      ]);
      const worklist = readFileSync(join(tmp.dir, 'out', 'worklist.ndjson'), 'utf8');
      expect(worklist).toContain('kd-candidate');
      expect(worklist).not.toContain('kd-no-diabetes');
    } finally {
      await storage.close();
    }
  }, 120_000);
});
