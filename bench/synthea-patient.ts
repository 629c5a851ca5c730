// A real patient for the HTTP benchmarks: one whole patient of the Synthea Bulk export in
// test/fixtures/synthea (SOURCE.md there), as $screen takes it: a collection Bundle of the
// Patient and every resource that names it, in the export's order. The adult chosen has 347
// resources (62 conditions, 93 prescriptions, encounters, procedures, clinical notes), the
// nearest of the five to a typical ~300.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../src/config.js';

export const SYNTHEA_DIR = join(projectRoot(), 'test', 'fixtures', 'synthea');
export const SYNTHEA_ADULT = '6a4160eb-a793-2f86-2302-378626f46cce';
/** The export's transactionTime (log.ndjson): the day its data were taken. */
export const SYNTHEA_AS_OF = '2024-08-06';

type Json = Record<string, unknown>;

export function syntheaBundle(patientId = SYNTHEA_ADULT): { resourceType: 'Bundle'; type: 'collection'; entry: { resource: Json }[] } {
  const entry: { resource: Json }[] = [];
  for (const name of readdirSync(SYNTHEA_DIR).filter((n) => /^[A-Z]\w*\.\d+\.ndjson$/.test(n)).sort()) {
    for (const line of readFileSync(join(SYNTHEA_DIR, name), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const resource = JSON.parse(line) as Json;
      const mine = resource['resourceType'] === 'Patient' ? resource['id'] === patientId : line.includes(`"Patient/${patientId}"`);
      if (mine) entry.push({ resource });
    }
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}
