// One nightly run for two studies against two single-study runs over the same export, on
// PGlite and on PostgreSQL: the same ResearchSubjects, run rows, stored records, funnels,
// worklist diffs (first night and the next, after a diagnosis disappears) and problems. The
// export is the generator's population of both studies, with a patient of both (a myositis
// patient given a type 2 diabetes diagnosis) and bad lines that concern one study, the other,
// or both.

import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findForStudies, findPatients, type FindResult, type RunOptions } from '../../src/batch/find-patients.js';
import { openRunStorage, type RunStorage } from '../../src/storage/open-run-storage.js';
import { createTestSchema, findTestPostgres } from '../helpers/test-store.js';
import { writeCohort } from '../../tools/cohort/write-cohort.js';
import { CANONICAL_BASE, MAPPINGS_DIR, quietLogger, tempDir } from './helpers.js';

const ASOF = '2026-10-26';
const STUDIES = ['belimumab-iim', 'glp1-ckd'] as const;
const postgres = await findTestPostgres();
const backends: ('pglite' | 'postgres')[] = postgres ? ['pglite', 'postgres'] : ['pglite'];

async function openStorage(kind: 'pglite' | 'postgres'): Promise<RunStorage> {
  if (kind === 'pglite') return openRunStorage({ inMemory: true });
  const { schema, drop } = await createTestSchema(postgres!.databaseUrl);
  const storage = await openRunStorage({ databaseUrl: postgres!.databaseUrl, schema });
  return { ...storage, close: async () => (await storage.close(), await drop()) };
}

interface Scenario {
  patient: string;
  study: string;
}

/** What a study's run leaves behind, with nothing that names the run itself. */
async function snapshot(storage: RunStorage, result: FindResult): Promise<Record<string, unknown>> {
  const studyId = result.run.studyId;
  const subjects = (await storage.store.searchSubjects({ study: studyId, count: 10_000, offset: 0 })).items
    .map((s) => ({ id: s.id, status: s.status, patientRef: s.patientRef, criteriaVersion: s.criteriaVersion, resource: withoutLastUpdated(s.resource) }))
    .sort((a, b) => a.id.localeCompare(b.id));
  const rows = (await storage.runs.runPatients(result.run.id)).sort((a, b) => a.patientRef.localeCompare(b.patientRef));
  const withRecords = [...(await storage.runs.resourcePatients(studyId))].sort();
  const records = await storage.runs.patientResources(studyId, withRecords);
  const file = (name: string): string => readFileSync(join(result.outDir, name), 'utf8');
  const lines = (name: string): string[] => file(name).split('\n').filter(Boolean).sort();
  const { linesRead: _r, linesParsed: _p, spilledBytes: _s, ...counts } = result.counts;
  return {
    status: result.run.status,
    criteriaVersion: result.run.criteriaVersion,
    subjects,
    rows,
    records: [...records.entries()],
    counts,
    funnel: result.funnel,
    funnelFiles: [file('funnel.json'), file('funnel.svg')],
    worklist: result.worklist,
    worklistFiles: [file('worklist.csv'), file('worklist.ndjson')],
    problems: lines('problems.ndjson'),
  };
}

function withoutLastUpdated(resource: Record<string, unknown>): Record<string, unknown> {
  const { meta, ...rest } = resource as { meta?: Record<string, unknown> };
  const { lastUpdated: _l, ...kept } = meta ?? {};
  return { ...rest, meta: kept };
}

describe.each(backends)('one run for two studies, on %s', (backend) => {
  const tmp = tempDir(`find-several-${backend}`);
  const input = join(tmp.dir, 'export');
  let separate: RunStorage;
  let together: RunStorage;
  let scenarios: Scenario[];
  let bothPatient: string;
  let firstSeparate: FindResult[];
  let firstTogether: FindResult[];

  const common = (out: string): RunOptions => ({
    asOf: ASOF,
    input,
    outDir: join(tmp.dir, out),
    resume: false,
    workers: 2,
    mappingsDir: MAPPINGS_DIR,
    canonicalBase: CANONICAL_BASE,
    logger: quietLogger,
    // Small enough that the candidates spill to disk and results commit in several batches.
    memoryBudget: 64 * 1024,
    writeBatch: 9,
  });

  const runSeparately = async (night: string): Promise<FindResult[]> => {
    const results: FindResult[] = [];
    for (const studyId of STUDIES) results.push(await findPatients({ ...common(`${night}-${studyId}`), studyId }, separate));
    return results;
  };

  beforeAll(async () => {
    writeCohort({ patients: 240, seed: 'several-studies', myositisRate: 0.08, t2dRate: 0.2 }, input);
    scenarios = readFileSync(join(input, 'scenarios.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Scenario);
    const myositis = scenarios.filter((s) => s.study === 'belimumab-iim').map((s) => s.patient);
    const t2d = scenarios.filter((s) => s.study === 'glp1-ckd').map((s) => s.patient);
    // A patient of both studies: a myositis patient with type 2 diabetes too.
    bothPatient = myositis.find((p) => !t2d.includes(p))!;
    appendFileSync(
      join(input, 'Condition.ndjson'),
      JSON.stringify({
        resourceType: 'Condition',
        id: 'several-studies-t2d',
        subject: { reference: bothPatient },
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
        onsetDateTime: '2019-03-01',
      }) + '\n',
    );
    // Bad lines: naming a myositis-only candidate (belimumab-iim's run reads it), a
    // diabetes-only candidate (glp1-ckd's), a patient of neither (nobody's), and no patient
    // at all (every run parses it).
    const myositisOnly = myositis.find((p) => p !== bothPatient && !t2d.includes(p))!;
    const t2dOnly = t2d.find((p) => !myositis.includes(p))!;
    const observations = join(input, 'Observation.ndjson');
    appendFileSync(observations, `{"resourceType":"Observation","subject":{"reference":"${myositisOnly}"}\n`);
    appendFileSync(observations, `{"resourceType":"Observation","subject":{"reference":"${t2dOnly}"}\n`);
    appendFileSync(observations, `{"resourceType":"Observation","subject":{"reference":"Patient/nobody-at-all"}\n`);
    appendFileSync(observations, 'this is not json\n');
    appendFileSync(join(input, 'Procedure.ndjson'), '{"hello":"world"}\n');

    separate = await openStorage(backend);
    together = await openStorage(backend);
    firstSeparate = await runSeparately('night1');
    firstTogether = await findForStudies({ ...common('night1-together'), studyIds: STUDIES }, together);
  }, 600_000);

  afterAll(async () => {
    await separate?.close();
    await together?.close();
    tmp.remove();
  });

  it('has one run per study, each with its own outputs under --out/<study>', () => {
    expect(firstTogether.map((r) => r.run.studyId)).toEqual([...STUDIES]);
    expect(new Set(firstTogether.map((r) => r.run.id)).size).toBe(2);
    expect(firstTogether.map((r) => r.outDir)).toEqual(STUDIES.map((s) => join(tmp.dir, 'night1-together', s)));
    for (const r of firstTogether) expect(r.run.status).toBe('complete');
    // Both studies have candidates, and one patient is screened for both.
    for (const r of firstTogether) expect(r.counts.stored).toBeGreaterThan(3);
    for (const r of firstTogether) expect(r.counts.diagnosed).toBeGreaterThan(3);
  });

  it('stores and reports exactly what two single-study runs do', async () => {
    for (const [i, studyId] of STUDIES.entries()) {
      const alone = await snapshot(separate, firstSeparate[i]!);
      const shared = await snapshot(together, firstTogether[i]!);
      expect({ studyId, ...shared }).toEqual({ studyId, ...alone });
    }
  });

  it('screens the patient of both studies for both, once from one record', async () => {
    for (const [i, r] of firstTogether.entries()) {
      const rows = await together.runs.runPatients(r.run.id);
      expect(rows.map((row) => row.patientRef), STUDIES[i]).toContain(bothPatient);
    }
    // Together, the export is read once: fewer lines read than the two runs apart.
    expect(firstTogether[0]!.counts.linesRead).toBeLessThan(firstSeparate[0]!.counts.linesRead + firstSeparate[1]!.counts.linesRead);
  });

  it('gives each study the problems of the lines its own run reads', () => {
    const reasons = (r: FindResult): string[] => readFileSync(join(r.outDir, 'problems.ndjson'), 'utf8').split('\n').filter(Boolean);
    const [belimumab, glp1] = firstTogether;
    // Each study: its own candidate's truncated line and the two lines every run parses;
    // nobody's line is skipped unread.
    expect(belimumab!.counts.problems).toEqual({ 'not-json': 2, 'not-a-resource': 1 });
    expect(glp1!.counts.problems).toEqual({ 'not-json': 2, 'not-a-resource': 1 });
    expect(reasons(belimumab!)).not.toEqual(reasons(glp1!));
  });

  it('next night: the same worklist diffs, after the patient of both loses the diabetes diagnosis', async () => {
    const conditions = readFileSync(join(input, 'Condition.ndjson'), 'utf8').split('\n');
    writeFileSync(join(input, 'Condition.ndjson'), conditions.filter((l) => !l.includes('"several-studies-t2d"')).join('\n'));
    const nextSeparate = await runSeparately('night2');
    const nextTogether = await findForStudies({ ...common('night2-together'), studyIds: STUDIES }, together);
    for (const [i, studyId] of STUDIES.entries()) {
      const alone = await snapshot(separate, nextSeparate[i]!);
      const shared = await snapshot(together, nextTogether[i]!);
      expect({ studyId, ...shared }).toEqual({ studyId, ...alone });
    }
    // The change shows where it should: glp1-ckd's stored subject of that patient turned ineligible.
    const glp1Row = nextTogether[1]!.worklist.find((r) => r.patient === bothPatient);
    expect(glp1Row === undefined || glp1Row.status === 'ineligible').toBe(true);
    const rows = await together.runs.runPatients(nextTogether[1]!.run.id);
    expect(rows.find((r) => r.patientRef === bothPatient)?.results['inc-type2-diabetes']).toBe('not-met');
  }, 600_000);

  it('refuses a study named twice, an unknown study, and delta or queue runs of several', async () => {
    await expect(findForStudies({ ...common('dup'), studyIds: ['glp1-ckd', 'glp1-ckd'] }, together)).rejects.toThrow('a study is named twice');
    await expect(findForStudies({ ...common('unknown'), studyIds: ['glp1-ckd', 'no-such-study'] }, together)).rejects.toThrow('unknown study no-such-study');
    await expect(findForStudies({ ...common('path'), studyIds: ['../fhir-mappings/glp1-ckd'] }, together)).rejects.toThrow('unknown study');
    await expect(findForStudies({ ...common('delta'), studyIds: STUDIES, fromStore: { touched: new Set() } }, together)).rejects.toThrow('take one study');
    // Nothing was started for any of them.
    for (const studyId of STUDIES) expect(await together.runs.findResumableRun(studyId, ASOF)).toBeUndefined();
  });
});
