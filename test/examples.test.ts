// The README's examples/ must do what the README says: each file, POSTed as a newcomer's curl
// would, answers the documented status, and the per-criterion results behind it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from './helpers/build-app.js';
import { criterionResults, SCREEN_URL, type Json } from './http/fixtures.js';
import { DM_CANDIDATE_EXPECTED } from './fixtures/dm-candidate-expected.js';


const EXAMPLES = join(import.meta.dirname, '..', 'examples');
const AS_OF = '2026-10-26';

function example(name: string): string {
  return readFileSync(join(EXAMPLES, name), 'utf8');
}

async function screenFile(name: string, contentType = 'application/fhir+json', asOf: string | undefined = AS_OF) {
  const { app } = await build();
  const response = await app.inject({
    method: 'POST',
    url: asOf ? `${SCREEN_URL}?asOf=${asOf}` : SCREEN_URL,
    headers: { 'content-type': contentType },
    payload: example(name),
  });
  return response;
}

function evaluationOf(subject: Json): Json[] {
  return subject.extension[0].extension as Json[];
}

const ALL_FAVOURABLE = DM_CANDIDATE_EXPECTED;

function results(subject: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(criterionResults(subject)).map(([id, r]) => [id, r.result]));
}

describe('examples/', () => {
  it('candidate-dm.json: candidate, every EHR-decidable criterion favourable', async () => {
    const response = await screenFile('candidate-dm.json');
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    expect(results(subject)).toEqual(ALL_FAVOURABLE);
    expect(subject.status).toBe('candidate');
  });

  it('candidate-dm.parameters.json: the same answer through a Parameters body with asOf inside', async () => {
    const response = await screenFile('candidate-dm.parameters.json', 'application/fhir+json', undefined);
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    expect(evaluationOf(subject)[0]).toEqual({ url: 'asOf', valueDate: AS_OF });
    expect(results(subject)).toEqual(ALL_FAVOURABLE);
    expect(subject.status).toBe('candidate');
  });

  it('potential-candidate-pm.json: potential-candidate, held by data the EHR could supply', async () => {
    const response = await screenFile('potential-candidate-pm.json');
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    expect(subject.status).toBe('potential-candidate');
    expect(subject.individual).toEqual({ reference: 'Patient/pm-potential' });
    const r = criterionResults(subject);
    expect(r['inc-diagnosis']).toEqual({ result: 'met', manual: false });
    expect(r['inc-autoantibody']).toEqual({ result: 'met', manual: false });
    expect(r['inc-pregnancy-contraception']).toEqual({ result: 'met', manual: false });
    expect(r['exc-hiv']).toEqual({ result: 'not-met', manual: false });
    expect(r['exc-immunoglobulin-deficiency']).toEqual({ result: 'unknown', manual: false });
    expect(r['exc-hepatitis-b-c']).toEqual({ result: 'unknown', manual: false });
    const failing = Object.entries(r).filter(([id, x]) =>
      id.startsWith('inc-') ? x.result === 'not-met' : x.result === 'met',
    );
    expect(failing).toEqual([]);
  });

  it('ineligible-rituximab.json: ineligible only by the rituximab window, eligible from 2027-04-10', async () => {
    const response = await screenFile('ineligible-rituximab.json');
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    expect(subject.status).toBe('ineligible');
    expect(results(subject)).toEqual({ ...ALL_FAVOURABLE, 'exc-rituximab-365d': 'met' });
    const rtx = evaluationOf(subject).find(
      (c) => c.url === 'criterion' && c.extension[0].valueCode === 'exc-rituximab-365d',
    )!;
    expect(rtx.extension).toContainEqual({ url: 'clearsOn', valueDate: '2027-04-10' });
    expect(rtx.extension).toContainEqual({ url: 'evidence', valueReference: { reference: 'MedicationAdministration/rtx-infusion-1' } });
    expect(evaluationOf(subject)).toContainEqual({ url: 'eligibleFrom', valueDate: '2027-04-10' });
  });

  it('three-patients.ndjson: one ResearchSubject per line, in order', async () => {
    const response = await screenFile('three-patients.ndjson', 'application/fhir+ndjson');
    expect(response.statusCode).toBe(200);
    const lines = response.body.trim().split('\n').map((l) => JSON.parse(l) as Json);
    expect(lines.map((l) => l.status)).toEqual(['candidate', 'potential-candidate', 'ineligible']);
  });
});
