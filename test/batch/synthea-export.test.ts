// A real Synthea Bulk Data export, unchanged (US Core profiles, conditional Practitioner and
// Organization references, SNOMED conditions, many types the study does not read), plus one
// dermatomyositis Condition so that someone is screened. Skipped where the export is absent.

import { copyFileSync, existsSync, readdirSync, readFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPatients } from '../../src/batch/find-patients.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { renderResearchSubject } from '../../src/render/research-subject.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { CANONICAL_BASE, MAPPINGS_DIR, openTestRunStorage, quietLogger, tempDir } from './helpers.js';

const SYNTHEA = '/work/synthea-10';

describe.skipIf(!existsSync(SYNTHEA))('findPatients on a real Synthea export', () => {
  const tmp = tempDir('find-synthea');
  afterAll(() => tmp.remove());

  it('reads it without a problem and stores what $screen answers for the one DM patient', async () => {
    const input = join(tmp.dir, 'export');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(input);
    for (const name of readdirSync(SYNTHEA)) copyFileSync(join(SYNTHEA, name), join(input, name));
    const firstPatient = JSON.parse(readFileSync(join(input, 'Patient.000.ndjson'), 'utf8').split('\n')[0]!) as { id: string };
    const dm = {
      resourceType: 'Condition',
      id: 'added-dm',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '396230008', display: 'Dermatomyositis (disorder)' }] },
      subject: { reference: `Patient/${firstPatient.id}` },
      onsetDateTime: '2024-03-01T10:00:00-05:00',
    };
    appendFileSync(join(input, 'Condition.000.ndjson'), JSON.stringify(dm) + '\n');

    const storage = await openTestRunStorage();
    try {
      const result = await findPatients(
        { studyId: 'belimumab-iim', asOf: '2026-10-26', input, outDir: join(tmp.dir, 'out'), resume: false, workers: 1, mappingsDir: MAPPINGS_DIR, canonicalBase: CANONICAL_BASE, logger: quietLogger },
        storage,
      );
      expect(result.counts.problemTotal).toBe(0);
      expect(result.counts.population).toBe(readFileSync(join(input, 'Patient.000.ndjson'), 'utf8').trim().split('\n').length);
      expect(result.counts).toMatchObject({ diagnosed: 1, screened: 1, stored: 1 });
      expect(result.counts.unusedTypes).toEqual(expect.arrayContaining(['DocumentReference', 'Practitioner', 'Organization']));

      // $screen's view of the same patient: every resource naming them, in one collection Bundle.
      const mine: unknown[] = [];
      for (const name of readdirSync(input).filter((n) => n.endsWith('.ndjson'))) {
        for (const line of readFileSync(join(input, name), 'utf8').split('\n')) {
          if (line.trim() === '') continue;
          const r = JSON.parse(line) as Record<string, unknown>;
          if ((r['resourceType'] === 'Patient' && r['id'] === firstPatient.id) || line.includes(`"Patient/${firstPatient.id}"`)) mine.push(r);
        }
      }
      const study = loadStudies(MAPPINGS_DIR).get('belimumab-iim')!;
      const record = buildPatientRecord({ resourceType: 'Bundle', type: 'collection', entry: mine.map((resource) => ({ resource })) });
      const expected = renderResearchSubject(screenPatient(study, record, '2026-10-26'), { canonicalBase: CANONICAL_BASE });
      const rows = await storage.runs.runPatients(result.run.id);
      const stored = await storage.store.getSubject(rows[0]!.subjectId!);
      const { meta: _meta, ...resource } = stored!.resource;
      expect(resource).toEqual(expected);
    } finally {
      await storage.close();
    }
  }, 60_000);
});
