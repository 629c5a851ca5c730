// The shared example Bundle, read fresh for each use so that no test can leak changes
// into another.

import { readFileSync } from 'node:fs';
import type { FhirResource } from '../../src/ingest/patient-record.js';

const text = readFileSync(new URL('../fixtures/ingest/dm-candidate-bundle.json', import.meta.url), 'utf8');

export function dmCandidateBundle(): FhirResource & { entry: { fullUrl: string; resource: FhirResource }[] } {
  return JSON.parse(text);
}

export function bundleOf(resources: unknown[], type = 'collection'): { resourceType: 'Bundle'; type: string; entry: unknown[] } {
  return { resourceType: 'Bundle', type, entry: resources.map((resource) => ({ resource })) };
}
