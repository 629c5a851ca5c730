// A study made only of kit rules (test/fixtures/kit-studies/kit-demo: no TypeScript names it)
// is loaded from its folder and screened end to end through $screen over HTTP: each rule's
// result, the status it gives, and what is stored.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadStudies } from '../../src/screening/study-registry.js';
import { build } from '../helpers/build-app.js';
import { criterionResults, screen, type Json } from '../http/fixtures.js';

const ROOT = join(import.meta.dirname, '../fixtures/kit-studies');
const URL = '/ResearchStudy/kit-demo/$screen';
const AS_OF = '2026-06-01';
const studies = await loadStudies(ROOT);

function bundle(hba1c?: { value: number; unit: string; date: string }, extra: Json[] = []): Json {
  const entry: Json[] = [
    { resource: { resourceType: 'Patient', id: 'kd1', gender: 'female', birthDate: '1970-05-01' } },
    {
      resource: {
        resourceType: 'Condition',
        id: 't2dm',
        subject: { reference: 'Patient/kd1' },
        clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11.9' }] },
        onsetDateTime: '2015-03-01',
      },
    },
    ...extra.map((resource) => ({ resource })),
  ];
  if (hba1c) {
    entry.push({
      resource: {
        resourceType: 'Observation',
        id: 'a1c',
        status: 'final',
        subject: { reference: 'Patient/kd1' },
        code: { coding: [{ system: 'http://loinc.org', code: '4548-4' }] },
        effectiveDateTime: hba1c.date,
        valueQuantity: { value: hba1c.value, unit: hba1c.unit, system: 'http://unitsofmeasure.org', code: hba1c.unit },
      },
    });
  }
  return { resourceType: 'Bundle', type: 'collection', entry };
}

describe('a kit-only study screened through $screen', () => {
  it('loads with its rules in study.yaml order and no TypeScript criteria', () => {
    const study = studies.get('kit-demo')!;
    expect([...studies.keys()]).toEqual(['kit-demo']);
    expect(study.criteria.map((c) => [c.id, c.type])).toEqual([
      ['inc-age', 'inclusion'],
      ['inc-type2-diabetes', 'inclusion'],
      ['inc-hba1c', 'inclusion'],
      ['inc-consent', 'inclusion'],
      ['exc-type1-diabetes', 'exclusion'],
    ]);
  });

  it('a patient every rule admits is a candidate: only the manual consent (I4) is left, and the result is stored', async () => {
    const { app, store } = await build({ studies, env: { MAPPINGS_DIR: ROOT } });
    const response = await screen(app, bundle({ value: 8.1, unit: '%', date: '2026-05-01' }), { asOf: AS_OF, url: URL });
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    expect(subject.study).toEqual({ reference: 'ResearchStudy/kit-demo' });
    expect(subject.status).toBe('candidate');
    expect(criterionResults(subject)).toEqual({
      'inc-age': { result: 'met', manual: false },
      'inc-type2-diabetes': { result: 'met', manual: false },
      'inc-hba1c': { result: 'met', manual: false },
      'inc-consent': { result: 'unknown', manual: true },
      'exc-type1-diabetes': { result: 'not-met', manual: false },
    });
    const stored = await store.getSubject(subject.id);
    expect(stored?.resource).toEqual(subject);
  });

  it('an HbA1c above the band (I3) makes the patient ineligible; 10.5 % is still inside it', async () => {
    const { app } = await build({ studies, env: { MAPPINGS_DIR: ROOT } });
    const high = (await screen(app, bundle({ value: 10.6, unit: '%', date: '2026-05-01' }), { asOf: AS_OF, url: URL })).json() as Json;
    expect(high.status).toBe('ineligible');
    expect(criterionResults(high)['inc-hba1c']).toEqual({ result: 'not-met', manual: false });
    const edge = (await screen(app, bundle({ value: 10.5, unit: '%', date: '2026-05-01' }), { asOf: AS_OF, url: URL })).json() as Json;
    expect(criterionResults(edge)['inc-hba1c']).toEqual({ result: 'met', manual: false });
  });

  it('no HbA1c within 6 months (I3) leaves an open unknown: a potential candidate', async () => {
    const { app } = await build({ studies, env: { MAPPINGS_DIR: ROOT } });
    const stale = (await screen(app, bundle({ value: 8.1, unit: '%', date: '2025-11-30' }), { asOf: AS_OF, url: URL })).json() as Json;
    expect(stale.status).toBe('potential-candidate');
    expect(criterionResults(stale)['inc-hba1c']).toEqual({ result: 'unknown', manual: false });
    const none = (await screen(app, bundle(), { asOf: AS_OF, url: URL })).json() as Json;
    expect(criterionResults(none)['inc-hba1c']).toEqual({ result: 'unknown', manual: false });
  });

  it('an active type 1 diabetes (E1) excludes', async () => {
    const { app } = await build({ studies, env: { MAPPINGS_DIR: ROOT } });
    const t1 = {
      resourceType: 'Condition',
      id: 't1dm',
      subject: { reference: 'Patient/kd1' },
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '46635009' }] },
      onsetDateTime: '2001-01-01',
    };
    const subject = (await screen(app, bundle({ value: 8.1, unit: '%', date: '2026-05-01' }, [t1]), { asOf: AS_OF, url: URL })).json() as Json;
    expect(subject.status).toBe('ineligible');
    expect(criterionResults(subject)['exc-type1-diabetes']).toEqual({ result: 'met', manual: false });
  });

  it('the study beside it is unknown to this app: 404 for belimumab-iim', async () => {
    const { app } = await build({ studies, env: { MAPPINGS_DIR: ROOT } });
    const response = await screen(app, bundle(), { asOf: AS_OF });
    expect(response.statusCode).toBe(404);
  });
});

describe('a kit-only study on the other read channels', () => {
  it('GET /ResearchStudy/kit-demo and CDS discovery list it', async () => {
    const { app } = await build({ studies, env: { MAPPINGS_DIR: ROOT } });
    const study = await app.inject({ method: 'GET', url: '/ResearchStudy/kit-demo' });
    expect(study.statusCode).toBe(200);
    expect((study.json() as Json).id).toBe('kit-demo');
    const discovery = await app.inject({ method: 'GET', url: '/cds-services' });
    expect(discovery.statusCode).toBe(200);
    const services = (discovery.json() as Json).services as Json[];
    expect(services.map((s) => s.id)).toEqual(['kit-demo-prescreen', 'trials-prescreen']);
    // The prefetch asks for the HbA1c codes of the study's labs.yaml.
    expect(JSON.stringify(services[0]!.prefetch)).toContain('4548-4');
  });
});
