// The finder end to end, in-process: a generated export with ~5% myositis, bad lines mixed in,
// a tiny memory budget so candidates spill to disk, two worker threads, real storage.

import { appendFileSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPatients, type FindResult } from '../../src/batch/find-patients.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { renderResearchSubject } from '../../src/render/research-subject.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger, tempDir, writeTestCohort, type TestStorage } from './helpers.js';

const ASOF = '2026-10-26';
const study = (await loadStudies(MAPPINGS_DIR)).get('belimumab-iim')!;

/** What $screen answers for the same patient: the cohort's own Bundle through the single-patient path. */
function screenLikeHttp(bundlePath: string, asOf: string): Record<string, unknown> {
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as unknown;
  const evaluation = screenPatient(study, buildPatientRecord(bundle), asOf);
  return renderResearchSubject(evaluation, { canonicalBase: CANONICAL_BASE }) as unknown as Record<string, unknown>;
}

function withoutMeta(resource: Record<string, unknown>): Record<string, unknown> {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

describe('findPatients on a generated export', () => {
  const tmp = tempDir('find-test');
  const input = join(tmp.dir, 'export');
  let storage: TestStorage;
  let first: FindResult;
  let myositisPatients: string[];

  beforeAll(async () => {
    writeTestCohort(input, 400, 'find-test', 0.05, true);
    myositisPatients = readFileSync(join(input, 'scenarios.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { patient: string; study: string })
      .filter((r) => r.study === 'belimumab-iim')
      .map((r) => r.patient);
    const someone = myositisPatients[0]!;
    // Bad lines: truncated JSON naming a candidate (parsed, so caught), garbage with no
    // Patient/ (parsed, caught), a non-resource with a CRLF ending, a line that is not UTF-8.
    appendFileSync(join(input, 'Observation.ndjson'), `{"resourceType":"Observation","subject":{"reference":"${someone}"}\n`);
    appendFileSync(join(input, 'Observation.ndjson'), 'this is not json\n');
    appendFileSync(join(input, 'Procedure.ndjson'), '{"hello":"world"}\r\n');
    // A candidate's record whose id no indexed column can hold: skipped, not a failed run.
    appendFileSync(join(input, 'Procedure.ndjson'), `${JSON.stringify({ resourceType: 'Procedure', id: 'x'.repeat(1_000_000), subject: { reference: someone } })}\n`);
    appendFileSync(join(input, 'Condition.ndjson'), Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]));
    storage = await openTestRunStorage();
    first = await findPatients(
      {
        studyId: 'belimumab-iim',
        asOf: ASOF,
        input,
        outDir: join(tmp.dir, 'out1'),
        resume: false,
        workers: 2,
        mappingsDir: MAPPINGS_DIR,
        canonicalBase: CANONICAL_BASE,
        logger: quietLogger,
        memoryBudget: 256 * 1024,
        writeBatch: 7,
      },
      storage,
    );
  });

  afterAll(async () => {
    await storage?.close();
    tmp.remove();
  });

  it('reads the whole population and screens only the diagnosed, spilling past the budget', () => {
    expect(first.run.status).toBe('complete');
    expect(first.counts.population).toBe(400);
    expect(first.counts.spilledBytes).toBeGreaterThan(0);
    // The generator's myositis patients, less those whose only diagnosis does not count.
    expect(first.counts.diagnosed).toBeGreaterThan(5);
    expect(first.counts.diagnosed).toBeLessThanOrEqual(myositisPatients.length);
    expect(first.counts.screened).toBe(first.counts.diagnosed);
    // Lines of ruled-out patients are skipped unparsed: that is the speed-up.
    expect(first.counts.linesParsed).toBeLessThan(first.counts.linesRead / 5);
  });

  it('stores exactly what $screen answers for every stored patient, and nothing for the others', async () => {
    const rows = await storage.runs.runPatients(first.run.id);
    const stored = rows.filter((r) => r.subjectId !== undefined);
    expect(stored.length).toBe(first.counts.stored);
    expect(stored.length).toBeGreaterThan(0);
    for (const row of stored) {
      const subject = await storage.store.getSubject(row.subjectId!);
      expect(subject?.status).toBe(row.status);
      const id = row.patientRef.slice('Patient/'.length);
      expect(withoutMeta(subject!.resource)).toEqual(screenLikeHttp(join(input, 'bundles', `${id}.json`), ASOF));
      expect((subject!.resource['meta'] as { versionId: string }).versionId).toBe('1');
    }
    const all = await storage.store.searchSubjects({ study: 'belimumab-iim', count: 1000, offset: 0 });
    expect(all.total).toBe(stored.length);
  });

  it('reports each bad line with its file and line number, and goes on', () => {
    const problems = readFileSync(join(first.outDir, 'problems.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    const observationLines = readFileSync(join(input, 'Observation.ndjson'), 'utf8').split('\n').length - 1;
    expect(problems).toEqual(
      expect.arrayContaining([
        { file: 'Observation.ndjson', line: observationLines - 1, reason: 'not-json' },
        { file: 'Observation.ndjson', line: observationLines, reason: 'not-json' },
        { file: 'Condition.ndjson', line: expect.any(Number), reason: 'not-utf8' },
        { file: 'Procedure.ndjson', line: expect.any(Number), reason: 'not-a-resource' },
      ]),
    );
    expect(problems.filter((p) => p['file'] === 'Procedure.ndjson' && p['reason'] === 'not-a-resource')).toHaveLength(2);
    expect(first.counts.problems).toEqual({ 'not-json': 2, 'not-utf8': 1, 'not-a-resource': 2 });
    expect(JSON.stringify(problems)).not.toContain('hello');
  });

  it('writes the attrition funnel in criteria.md order, as JSON and SVG', () => {
    const funnel = JSON.parse(readFileSync(join(first.outDir, 'funnel.json'), 'utf8')) as typeof first.funnel;
    expect(funnel.steps.map((s) => s.criterion)).toEqual(study.criteria.map((c) => c.id));
    expect(funnel.population).toBe(400);
    const diagnosis = funnel.steps.find((s) => s.criterion === 'inc-diagnosis')!;
    expect(diagnosis.dropped).toBeGreaterThanOrEqual(400 - first.counts.diagnosed);
    const remaining = funnel.steps.map((s) => s.remaining);
    expect([...remaining].sort((a, b) => b - a)).toEqual(remaining);
    const listed = (first.counts.byStatus['candidate'] ?? 0) + (first.counts.byStatus['potential-candidate'] ?? 0);
    expect(funnel.final).toBe(listed);
    const svg = readFileSync(join(first.outDir, 'funnel.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect /g)?.length).toBe(study.criteria.length + 1);
  });

  it('lists every new (potential) candidate on the first worklist', () => {
    const listed = (first.counts.byStatus['candidate'] ?? 0) + (first.counts.byStatus['potential-candidate'] ?? 0);
    expect(first.worklist.filter((r) => r.change !== 'clears-window').length).toBe(listed);
    const csv = readFileSync(join(first.outDir, 'worklist.csv'), 'utf8').trim().split('\r\n');
    expect(csv[0]).toBe('change,patient,researchSubject,status,previousStatus,eligibleFrom,flipped');
    expect(csv.length).toBe(first.worklist.length + 1);
    const ndjson = readFileSync(join(first.outDir, 'worklist.ndjson'), 'utf8').trim().split('\n');
    expect(ndjson.length).toBe(first.worklist.length);
  });

  it('next night: a lost diagnosis turns the stored subject ineligible, with inc-diagnosis flipped', async () => {
    const listedRow = first.worklist.find((r) => r.change === 'new-potential-candidate' || r.change === 'new-candidate')!;
    const patientRef = listedRow.patient;
    // The patient's diagnosis Conditions are gone from tonight's export.
    const conditions = readFileSync(join(input, 'Condition.ndjson'), 'utf8').split('\n');
    const keep = conditions.filter((line) => !(line.includes(`"${patientRef}"`) && /M33|M36\.0|G72\.49|396230008|31384009|702380008/.test(line)));
    writeFileSync(join(input, 'Condition.ndjson'), keep.join('\n'));
    const second = await findPatients(
      {
        studyId: 'belimumab-iim',
        asOf: ASOF,
        input,
        outDir: join(tmp.dir, 'out2'),
        resume: false,
        workers: 1,
        mappingsDir: MAPPINGS_DIR,
        canonicalBase: CANONICAL_BASE,
        logger: quietLogger,
      },
      storage,
    );
    const change = second.worklist.find((r) => r.patient === patientRef);
    expect(change).toMatchObject({ change: 'became-ineligible', status: 'ineligible', previousStatus: listedRow.status });
    expect(change!.flipped).toContainEqual({ criterion: 'inc-diagnosis', from: expect.stringMatching(/met|unknown/), to: 'not-met' });
    const subject = await storage.store.getSubject(listedRow.researchSubject);
    expect(subject).toMatchObject({ status: 'ineligible' });
    expect((subject!.resource['meta'] as { versionId: string }).versionId).toBe('2');
    // Nobody else changed.
    expect(second.worklist.filter((r) => r.change !== 'clears-window').map((r) => r.patient)).toEqual([patientRef]);
    expect(existsSync(join(second.outDir, 'worklist.csv'))).toBe(true);
  });
});
