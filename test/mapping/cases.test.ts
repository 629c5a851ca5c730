// Data-driven extraction cases (style.md rule 16): test/cases/mapping/*.yaml rows
// {desc, resources, asOf, expect}. Each row's resources become a collection Bundle (with a
// Patient p1 unless the row gives one), go through the real ingest and buildModel, and the
// model must match `expect` (arrays element by element, objects by the keys given).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { STUDY_CODE } from '../../src/criteria/belimumab-iim/index.js';
import { loadStudyMapping } from '../../src/mapping/load-study.js';
import { needsOf } from '../../src/screening/study-registry.js';

const BELIMUMAB_NEEDS = needsOf(STUDY_CODE);

interface Row {
  desc: string;
  resources: Record<string, unknown>[];
  asOf: string;
  expect: Record<string, unknown>;
}

const CASES = join(import.meta.dirname, '../cases/mapping');
const mapping = loadStudyMapping(join(import.meta.dirname, '../../fhir-mappings/belimumab-iim'), BELIMUMAB_NEEDS);

for (const file of readdirSync(CASES).filter((f) => f.endsWith('.yaml')).sort()) {
  const rows = parse(readFileSync(join(CASES, file), 'utf8')) as Row[];
  describe(file, () => {
    for (const row of rows) {
      it(row.desc, () => {
        const resources = structuredClone(row.resources);
        if (!resources.some((r) => r['resourceType'] === 'Patient')) {
          resources.unshift({ resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1970-05-15' });
        }
        const bundle = { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
        const before = structuredClone(bundle);
        const model = mapping.buildModel(buildPatientRecord(bundle), row.asOf);
        expect(model).toMatchObject(row.expect);
        expect(bundle).toStrictEqual(before);
      });
    }
  });
}
