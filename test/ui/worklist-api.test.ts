// The worklist page's server side through inject, on real storage (PostgreSQL when
// TEST_DATABASE_URL is set, else PGlite): the two extra FHIR search filters (held-by, changed),
// coordinators' decisions (validation, latest per subject, history), the merged per-criterion
// summary, the run history and funnel, and the page and its assets.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testRunStorage } from '../helpers/test-store.js';
import { build } from '../helpers/build-app.js';
import type { Json } from '../http/fixtures.js';

const EXAMPLES = join(import.meta.dirname, '..', '..', 'examples');
const AS_OF = '2026-10-26';
const STUDY = 'belimumab-iim';
const NOTE = 'Rang Mrs Example on Tuesday; said she joined another trial in 2025';

async function seeded() {
  const storage = await testRunStorage();
  const built = await build({ store: storage.store, env: { PATIENT_LINK_TEMPLATE: 'https://ehr.example.org/patients/{id}' } });
  const ids: Record<string, string> = {};
  for (const name of ['candidate-dm.json', 'potential-candidate-pm.json', 'ineligible-rituximab.json']) {
    const response = await built.app.inject({
      method: 'POST',
      url: `/ResearchStudy/${STUDY}/$screen?asOf=${AS_OF}`,
      headers: { 'content-type': 'application/fhir+json' },
      payload: readFileSync(join(EXAMPLES, name), 'utf8'),
    });
    expect(response.statusCode).toBe(200);
    const subject = response.json() as Json;
    ids[subject.individual.reference] = subject.id;
  }
  return { ...built, storage, ids };
}

function search(app: Awaited<ReturnType<typeof seeded>>['app'], query: string) {
  return app.inject({ url: `/ResearchSubject?${query}`, headers: { accept: 'application/fhir+json' } });
}

function patientsOf(bundle: Json): string[] {
  return (bundle.entry ?? []).map((e: Json) => e.resource.individual.reference).sort();
}

describe('worklist API', () => {
  it('held-by lists only the patients whose one failing criterion is the one named', async () => {
    const { app, storage } = await seeded();
    try {
      const held = await search(app, `study=${STUDY}&held-by=exc-rituximab-365d`);
      expect(held.statusCode).toBe(200);
      expect(patientsOf(held.json())).toEqual(['Patient/dm-rtx']);
      expect(held.json().total).toBe(1);
      // Paging links keep the filter.
      expect(held.json().link[0].url).toContain('held-by=exc-rituximab-365d');
      const none = await search(app, `study=${STUDY}&held-by=inc-age`);
      expect(none.json().total).toBe(0);
      const bad = await search(app, 'held-by=NOT%20AN%20ID');
      expect(bad.statusCode).toBe(400);
    } finally {
      await storage.close();
    }
  });

  it('changed: everything before any run; then what the latest run changed and what was screened since', async () => {
    const { app, storage, ids } = await seeded();
    try {
      expect(patientsOf((await search(app, `study=${STUDY}&changed=true`)).json())).toHaveLength(3);
      const subjectOf = async (ref: string) => (await storage.store.getSubject(ids[ref]!))!;
      const row = async (ref: string, status: string, results: Record<string, string>) => {
        const s = await subjectOf(ref);
        return { patientRef: ref, status, failing: [], results, subject: { ...s, status } };
      };
      // Run 1 lists all three; run 2 flips pm-potential's result of one criterion only.
      const run1 = await storage.runs.createRun({ studyId: STUDY, asOf: '2026-10-25', source: 'test', criteriaVersion: 'v' });
      await storage.runs.recordResults(run1.id, [
        await row('Patient/example-pat', 'candidate', { 'inc-age': 'met' }),
        await row('Patient/pm-potential', 'potential-candidate', { 'inc-age': 'met', 'exc-hiv': 'unknown' }),
        await row('Patient/dm-rtx', 'ineligible', { 'exc-rituximab-365d': 'met' }),
      ]);
      await storage.runs.finishRun(run1.id, 'complete', { population: 10, notScreened: 0, funnel: [['inc-age', 9], ['inc-diagnosis', 3]] });
      const run2 = await storage.runs.createRun({ studyId: STUDY, asOf: '2026-10-26', source: 'test', criteriaVersion: 'v' });
      await storage.runs.recordResults(run2.id, [
        await row('Patient/example-pat', 'candidate', { 'inc-age': 'met' }),
        await row('Patient/pm-potential', 'potential-candidate', { 'inc-age': 'met', 'exc-hiv': 'not-met' }),
        await row('Patient/dm-rtx', 'ineligible', { 'exc-rituximab-365d': 'met' }),
      ]);
      await storage.runs.finishRun(run2.id, 'complete', {
        population: 12, notScreened: 1, screened: 3, stored: 3, byStatus: { candidate: 1, 'potential-candidate': 1, ineligible: 1 },
        problemTotal: 1, funnel: [['inc-age', 10], ['inc-diagnosis', 3]],
      });
      expect(patientsOf((await search(app, `study=${STUDY}&changed=true`)).json())).toEqual(['Patient/pm-potential']);
      // Screened again after the run: changed too.
      await app.inject({
        method: 'POST',
        url: `/ResearchStudy/${STUDY}/$screen?asOf=${AS_OF}`,
        headers: { 'content-type': 'application/fhir+json' },
        payload: readFileSync(join(EXAMPLES, 'candidate-dm.json'), 'utf8'),
      });
      expect(patientsOf((await search(app, `study=${STUDY}&changed=true`)).json())).toEqual(['Patient/example-pat', 'Patient/pm-potential']);

      const runs = await app.inject({ url: `/app/api/studies/${STUDY}/runs` });
      expect(runs.statusCode).toBe(200);
      const body = runs.json() as Json;
      expect(body.runs.map((r: Json) => r.id)).toEqual([run2.id, run1.id]);
      expect(body.runs[0]).toMatchObject({ asOf: '2026-10-26', status: 'complete', population: 12, screened: 3, problems: 1 });
      expect(body.runs[0].durationMs).toBeGreaterThanOrEqual(0);
      expect(body.funnel).toMatchObject({ runId: run2.id, population: 12, notScreened: 1, start: 11, final: 3 });
      expect(body.funnel.steps).toEqual([
        expect.objectContaining({ criterion: 'inc-age', seed: 'I1', remaining: 10, dropped: 1 }),
        expect.objectContaining({ criterion: 'inc-diagnosis', remaining: 3, dropped: 7 }),
      ]);
      expect((await app.inject({ url: '/app/api/studies/nope/runs' })).statusCode).toBe(404);
    } finally {
      await storage.close();
    }
  });

  it('records decisions against the ResearchSubject, shows the latest, and never logs the note', async () => {
    const { app, storage, ids, logs } = await seeded();
    try {
      const candidate = ids['Patient/example-pat']!;
      const rtx = ids['Patient/dm-rtx']!;
      const post = (id: string, body: unknown) =>
        app.inject({ method: 'POST', url: `/app/api/subjects/${id}/decisions`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });

      const missing = await post(candidate, { decision: 'screen-failed' });
      expect(missing.statusCode).toBe(400);
      expect(missing.json().issue[0].expression).toEqual(['criterion']);
      expect((await post(candidate, { decision: 'screen-failed', criterion: 'exc-nothing' })).statusCode).toBe(400);
      expect((await post(candidate, { decision: 'contacted', criterion: 'inc-age' })).statusCode).toBe(400);
      expect((await post(candidate, { decision: 'maybe' })).statusCode).toBe(400);
      expect((await post(candidate, { decision: 'contacted', note: 'x'.repeat(2001) })).statusCode).toBe(400);
      expect((await post('0000000000000000000000000000000000000000', { decision: 'contacted' })).statusCode).toBe(404);
      const notJson = await app.inject({ method: 'POST', url: `/app/api/subjects/${candidate}/decisions`, headers: { 'content-type': 'application/json' }, payload: '{"decision": "contacted", NOTE' });
      expect(notJson.statusCode).toBe(400);

      const contacted = await post(candidate, { decision: 'contacted', note: NOTE });
      expect(contacted.statusCode).toBe(201);
      expect(contacted.json().decision).toMatchObject({ subjectId: candidate, studyId: STUDY, decision: 'contacted', note: NOTE, subjectVersion: 1 });
      // The service had exc-suicide-risk unknown: a screen-failure on it is a miss.
      const failed = await post(candidate, { decision: 'screen-failed', criterion: 'exc-suicide-risk', note: NOTE });
      expect(failed.statusCode).toBe(201);
      expect(failed.json().decision).toMatchObject({ criterionId: 'exc-suicide-risk', criterionResult: 'unknown' });
      // The service had already failed dm-rtx on rituximab: agreed.
      expect((await post(rtx, { decision: 'screen-failed', criterion: 'exc-rituximab-365d' })).json().decision.criterionResult).toBe('met');

      const latest = await app.inject({ url: `/app/api/decisions?subject=${candidate},${rtx},${ids['Patient/pm-potential']}` });
      expect(latest.statusCode).toBe(200);
      const bySubject = Object.fromEntries((latest.json().decisions as Json[]).map((d) => [d.subjectId, d.decision]));
      expect(bySubject).toEqual({ [candidate]: 'screen-failed', [rtx]: 'screen-failed' });
      expect((await app.inject({ url: '/app/api/decisions?subject=a/b' })).statusCode).toBe(400);

      const history = await app.inject({ url: `/app/api/subjects/${candidate}/decisions` });
      expect((history.json().decisions as Json[]).map((d) => d.decision)).toEqual(['screen-failed', 'contacted']);

      const summary = (await app.inject({ url: `/app/api/studies/${STUDY}/criterion-summary` })).json() as Json;
      expect(summary.cdsService).toBe(`${STUDY}-prescreen`);
      const of = (id: string) => summary.criteria.find((c: Json) => c.criterion === id);
      expect(of('exc-suicide-risk')).toMatchObject({ screenFailures: { total: 1, missed: 1, agreed: 0 }, misled: 1 });
      expect(of('exc-rituximab-365d')).toMatchObject({ screenFailures: { total: 1, missed: 0, agreed: 1 }, misled: 0 });
      expect(summary.criteria).toHaveLength(30);

      expect(logs.text()).not.toContain('Mrs Example');
      expect(logs.text()).toContain('coordinator decision recorded');
    } finally {
      await storage.close();
    }
  });

  it('counts CDS card overrides and screen-failures in one summary', async () => {
    const { app, storage, ids } = await seeded();
    try {
      const cards = storage.store.cdsFeedback!;
      const uuid = '6f1c2a52-3f34-4a7e-9d5b-2f0b8c1d9e01';
      await cards.recordCards([{ uuid, serviceId: `${STUDY}-prescreen`, studyId: STUDY, subjectId: ids['Patient/example-pat']!, status: 'candidate', criteria: ['exc-suicide-risk'] }]);
      await cards.addFeedback(`${STUDY}-prescreen`, [{ card: uuid, outcome: 'overridden', outcomeTimestamp: '2026-10-27T09:00:00.000Z', reason: { code: 'known-risk' } }]);
      await app.inject({
        method: 'POST',
        url: `/app/api/subjects/${ids['Patient/pm-potential']}/decisions`,
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ decision: 'screen-failed', criterion: 'exc-suicide-risk' }),
      });
      const summary = (await app.inject({ url: `/app/api/studies/${STUDY}/criterion-summary` })).json() as Json;
      expect(summary.criteria.find((c: Json) => c.criterion === 'exc-suicide-risk')).toMatchObject({
        cds: { cards: 1, accepted: 0, overridden: 1, overrideReasons: [{ code: 'known-risk', count: 1 }] },
        screenFailures: { total: 1, missed: 1 },
        misled: 2,
      });
    } finally {
      await storage.close();
    }
  });

  it('serves the page and its modules with a strict CSP, and the settings', async () => {
    const { app, storage } = await seeded();
    try {
      const page = await app.inject({ url: '/app' });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.headers['content-security-policy']).toContain("script-src 'self'");
      expect(page.body).toContain('/app/assets/main.js');
      expect(page.body).not.toMatch(/https?:\/\/(?!ehr)/);
      for (const name of ['main.js', 'api.js', 'evaluation.js', 'worklist-view.js', 'worklist-cells.js', 'several-studies-view.js', 'patient-view.js', 'study-switcher.js', 'runs-view.js', 'rules-view.js', 'dom.js', 'page-context.js']) {
        const asset = await app.inject({ url: `/app/assets/${name}` });
        expect(asset.statusCode, name).toBe(200);
        expect(asset.headers['content-type']).toContain('text/javascript');
        expect(asset.body).not.toMatch(/\bimport\s+type\b|:\s*HTMLElement\b/);
      }
      expect((await app.inject({ url: '/app/assets/app.css' })).headers['content-type']).toContain('text/css');
      expect((await app.inject({ url: '/app/assets/nope.js' })).statusCode).toBe(404);
      expect((await app.inject({ url: '/app/assets/..%2Fui-routes.js' })).statusCode).toBe(404);
      const config = (await app.inject({ url: '/app/api/config' })).json() as Json;
      expect(config.patientLinkTemplate).toBe('https://ehr.example.org/patients/{id}');
      expect(config.studies[0]).toMatchObject({ id: STUDY });
      expect(config.studies[0].criteria[0]).toEqual({ id: 'inc-age', seed: 'I1', type: 'inclusion', title: expect.any(String) });
    } finally {
      await storage.close();
    }
  });
});
