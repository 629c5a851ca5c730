// The channels give one answer (issue 15 §6), for every study: the same patients screened
// through $screen, NDJSON $screen, the CDS service (its whole prefetch sent, as
// `npm run cds-sample` builds it) and the nightly finder (a Bulk-style export of the same
// resources) store the same ResearchSubject, `meta` aside. Each study runs beside the other in
// one MAPPINGS_DIR: belimumab-iim with the shipped examples, kit-demo (kit rules only) with one
// patient per outcome of its rules. CDS screens as of today (UTC), so every channel does.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCdsSample, studyTemplates } from '../../scripts/cds-sample.js';
import { findPatients } from '../../src/batch/find-patients.js';
import { todayUtc } from '../../src/http/today-utc.js';
import { CANONICAL_BASE, openTestRunStorage, quietLogger, tempDir } from '../batch/helpers.js';
import { listen } from '../cds-hooks/setup.js';
import { studyPatients, twoStudies, type Json, type TestPatient, type TwoStudies } from '../helpers/two-studies.js';

const TODAY = todayUtc();
const STUDIES = studyPatients(TODAY);

let mappings: TwoStudies;
beforeAll(async () => {
  mappings = await twoStudies();
});
afterAll(() => mappings.remove());

const withoutMeta = (resource: Json): Json => ({ ...resource, meta: undefined });

/** One resource type per file, as a Bulk export writes them. */
function writeExport(dir: string, patients: TestPatient[]): void {
  mkdirSync(dir, { recursive: true });
  const byType = new Map<string, string[]>();
  for (const p of patients) {
    for (const { resource } of p.bundle['entry'] as { resource: Json }[]) {
      byType.set(resource['resourceType'], [...(byType.get(resource['resourceType']) ?? []), JSON.stringify(resource)]);
    }
  }
  for (const [type, lines] of byType) writeFileSync(join(dir, `${type}.ndjson`), `${lines.join('\n')}\n`);
}

it('covers every study the tests load', () => {
  expect(STUDIES.map((s) => s.studyId), "every study needs patients in test/helpers/two-studies.ts's studyPatients").toEqual([...mappings.studies.keys()]);
});

describe.each(STUDIES)('$studyId: $screen, NDJSON, CDS and the finder store the same answer', ({ studyId, patients }) => {
  it('for each patient', async () => {
    const app = await listen({ MAPPINGS_DIR: mappings.dir }, { studies: mappings.studies });
    const storedFor = async (patientId: string): Promise<Json> => {
      const found = await app.store.searchSubjects({ study: studyId, patient: `Patient/${patientId}`, count: 10, offset: 0 });
      expect(found.total, patientId).toBe(1);
      return found.items[0]!.resource;
    };

    // CDS first, into an empty store: what it stores is its own answer.
    const templates = studyTemplates(studyId, mappings.dir);
    const viaCds = new Map<string, Json>();
    for (const p of patients) {
      const response = await app.post(`/cds-services/${studyId}-prescreen`, buildCdsSample(p.bundle, templates));
      expect(response.status, `${p.name}: ${await response.clone().text()}`).toBe(200);
      viaCds.set(p.patientId, await storedFor(p.patientId));
    }

    const viaScreen = new Map<string, Json>();
    for (const p of patients) {
      const response = await app.post(`/ResearchStudy/${studyId}/$screen?asOf=${TODAY}`, p.bundle, { 'content-type': 'application/fhir+json' });
      expect(response.status, p.name).toBe(200);
      viaScreen.set(p.patientId, (await response.json()) as Json);
      expect(withoutMeta(await storedFor(p.patientId))).toEqual(withoutMeta(viaScreen.get(p.patientId)!));
    }

    const body = patients.map((p) => JSON.stringify(p.bundle)).join('\n') + '\n';
    const ndjson = await app.post(`/ResearchStudy/${studyId}/$screen?asOf=${TODAY}`, body, { 'content-type': 'application/fhir+ndjson' });
    expect(ndjson.status).toBe(200);
    const lines = (await ndjson.text()).trim().split('\n').map((l) => JSON.parse(l) as Json);

    patients.forEach((p, i) => {
      const expected = withoutMeta(viaScreen.get(p.patientId)!);
      expect(withoutMeta(lines[i]!), `NDJSON ${p.name}`).toEqual(expected);
      expect(withoutMeta(viaCds.get(p.patientId)!), `CDS ${p.name}`).toEqual(expected);
    });
    // More than one status among the patients, or the comparison says little.
    expect(new Set([...viaScreen.values()].map((s) => s['status'])).size).toBeGreaterThan(1);

    // The finder: the same resources as an export, screened for this study by its id.
    const tmp = tempDir(`same-answer-${studyId}`);
    const storage = await openTestRunStorage();
    try {
      writeExport(join(tmp.dir, 'export'), patients);
      const result = await findPatients(
        { studyId, asOf: TODAY, input: join(tmp.dir, 'export'), outDir: join(tmp.dir, 'out'), resume: false, workers: 1, mappingsDir: mappings.dir, canonicalBase: CANONICAL_BASE, logger: quietLogger },
        storage,
      );
      expect(result.run.status).toBe('complete');
      expect(result.run.studyId).toBe(studyId);
      const rows = await storage.runs.runPatients(result.run.id);
      // The finder may skip a patient its study's prefilter rules out; every one it screens matches.
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        const expected = viaScreen.get(row.patientRef.slice('Patient/'.length))!;
        expect(row.status, row.patientRef).toBe(expected['status']);
        if (row.subjectId === undefined) continue;
        const stored = await storage.store.getSubject(row.subjectId);
        expect(withoutMeta(stored!.resource), `finder ${row.patientRef}`).toEqual(withoutMeta(expected));
      }
      // Every patient whose result $screen would store as a candidate or potential one is stored by the finder too.
      const candidates = [...viaScreen.values()].filter((s) => s['status'] !== 'ineligible').map((s) => s['id']);
      const storedIds = rows.flatMap((r) => (r.subjectId === undefined ? [] : [r.subjectId]));
      expect(storedIds).toEqual(expect.arrayContaining(candidates));
    } finally {
      await storage.close();
      tmp.remove();
    }
  }, 120_000);
});
