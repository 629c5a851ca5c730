// Patients for trials-prescreen tests, built from the shipped examples and moved in time so
// that, screened as of today (the CDS services' date), each is what it is on its example's
// reference day: candidate-dm a belimumab-iim candidate as of 2026-10-26, glp1-ckd-candidate a
// glp1-ckd candidate as of 2026-10-11. Every date in a record moves by the same number of days,
// birth dates included, so ages and intervals stay as they were.

import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { buildCdsSample } from '../../scripts/cds-sample.js';
import { addDays, daysBetween } from '../../src/fhir/dates.js';
import { todayUtc } from '../../src/http/today-utc.js';
import type { Json, Listening } from './setup.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Every FHIR date and the day of every dateTime in the text, moved by `days`. */
function moved(text: string, days: number): Json {
  return JSON.parse(text.replace(/"(\d{4}-\d{2}-\d{2})(T[^"]*)?"/g, (_m, day: string, time: string | undefined) => `"${addDays(day, days)}${time ?? ''}"`)) as Json;
}

/** An example Bundle as it would be on `referenceDay`, seen today. */
export function exampleAsOfToday(name: string, referenceDay: string): Json {
  return moved(readFileSync(`${EXAMPLES}${name}.json`, 'utf8'), daysBetween(referenceDay, todayUtc()));
}

export const DM_PATIENT = 'example-pat';

/** candidate-dm: a belimumab-iim candidate only. */
export function belimumabOnly(): Json {
  return exampleAsOfToday('candidate-dm', '2026-10-26');
}

/** glp1-ckd-candidate: a glp1-ckd candidate only. */
export function glp1Only(): Json {
  return exampleAsOfToday('glp1-ckd-candidate', '2026-10-11');
}

/** candidate-dm's Patient with both records: a candidate for both studies. */
export function bothStudies(): Json {
  const dm = belimumabOnly();
  const glp1 = JSON.parse(JSON.stringify(glp1Only()).replaceAll('Patient/ex-wlos-pat', `Patient/${DM_PATIENT}`)) as Json;
  const entries = (b: Json) => b['entry'] as { resource: Json }[];
  return { ...dm, entry: [...entries(dm), ...entries(glp1).filter((e) => e.resource['resourceType'] !== 'Patient')] };
}

/** A Patient with no other data: no study's entry criterion is met. */
export function nobody(id = 'no-data-pat'): Json {
  return { resourceType: 'Bundle', type: 'collection', entry: [{ fullUrl: `https://ehr.example.org/fhir/Patient/${id}`, resource: { resourceType: 'Patient', id, gender: 'male', birthDate: '1970-01-01' } }] };
}

export interface DiscoveredService {
  id: string;
  prefetch: Record<string, string>;
}

export async function servicesOf(app: Listening): Promise<Map<string, DiscoveredService>> {
  const body = (await (await app.get('/cds-services')).json()) as { services: DiscoveredService[] };
  return new Map(body.services.map((s) => [s.id, s]));
}

/** A patient-view call with every prefetch key of the service filled from the Bundle. */
export function sampleCall(service: DiscoveredService, bundle: Json): Json {
  return buildCdsSample(bundle, Object.entries(service.prefetch).map(([key, template]) => ({ key, template }))) as Json;
}

export async function cardsOf(app: Listening, serviceId: string, body: Json): Promise<Json[]> {
  const response = await app.post(`/cds-services/${serviceId}`, { ...body, hookInstance: crypto.randomUUID() });
  expect(response.status, await response.clone().text()).toBe(200);
  return ((await response.json()) as { cards: Json[] }).cards;
}
