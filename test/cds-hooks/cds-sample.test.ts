// The shipped CDS Hooks sample (examples/cds-patient-view.json) is what `npm run cds-sample`
// builds from examples/candidate-dm.json with the service's own prefetch templates, holds every
// key the discovery document lists, and works as sent: posted over real HTTP with no fhirServer
// behind it, it answers 200 with a card whose link opens the worklist page, and the stored
// result is the one $screen gives for the same patient on the same day.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allStudiesTemplates, buildCdsSample, cdsSampleText, SAMPLE_BUNDLE, SAMPLE_OUT, studyTemplates } from '../../scripts/cds-sample.js';
import { tempDir } from '../batch/helpers.js';
import { kitDemoPatients, twoStudies } from '../helpers/two-studies.js';
import { criteriaOf, discovery, listen, SERVICE, type Json } from './setup.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('examples/cds-patient-view.json', () => {
  it('is what the sample tool builds from examples/candidate-dm.json', async () => {
    expect(readFileSync(SAMPLE_OUT, 'utf8')).toBe(await cdsSampleText());
  });

  it('fills every prefetch key of the discovery document, answers 200 with a card, and screens as $screen does', async () => {
    const app = await listen();
    const sample = JSON.parse(readFileSync(SAMPLE_OUT, 'utf8')) as { prefetch: Json; fhirServer?: string };
    const { prefetch: templates } = await discovery(app);
    expect(Object.keys(sample.prefetch).sort()).toEqual(Object.keys(templates).sort());
    for (const [key, value] of Object.entries(sample.prefetch)) {
      expect(value, key).toMatchObject({ resourceType: expect.stringMatching(/^(Patient|Bundle)$/) });
    }
    // Nothing to fetch from: every key is there.
    expect(sample.fhirServer).toBeUndefined();

    const response = await app.post(`/cds-services/${SERVICE}`, readFileSync(SAMPLE_OUT, 'utf8'));
    expect(response.status).toBe(200);
    const { cards } = (await response.json()) as { cards: Json[] };
    expect(cards).toHaveLength(1);
    const link = (cards[0]!['links'] as { url: string; label: string }[])[0]!;
    expect(link.label).toMatch(/in the worklist/);
    expect(link.url).toMatch(new RegExp(`^${app.url}/app#/subject/[A-Za-z0-9.-]+$`));

    // The link opens the worklist page, not the raw JSON.
    const page = await fetch(link.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);

    // CDS screens as of today (UTC): $screen of the same Bundle on the same day gives the same answers.
    const id = link.url.split('/app#/subject/')[1]!;
    const stored = (await app.store.getSubject(id))!.resource;
    const today = new Date().toISOString().slice(0, 10);
    const screened = await app.post(`/ResearchStudy/belimumab-iim/$screen?asOf=${today}`, readFileSync(SAMPLE_BUNDLE, 'utf8'), {
      'content-type': 'application/fhir+json',
    });
    expect(screened.status).toBe(200);
    const viaScreen = (await screened.json()) as Json;
    expect(stored['status']).toBe(viaScreen['status']);
    expect(criteriaOf(stored).size).toBe(30);
    expect(criteriaOf(stored)).toEqual(criteriaOf(viaScreen));
  });
});

describe('cds-sample on a transaction Bundle', () => {
  it('names the Patient as a FHIR server would after storing it (Patient/<id>, not the urn:uuid), so the service accepts the request', async () => {
    const bundle = JSON.parse(readFileSync(join(ROOT, 'examples/potential-candidate-pm.json'), 'utf8')) as Json;
    const request = buildCdsSample(bundle, studyTemplates()) as { prefetch: Json };
    const text = JSON.stringify(request.prefetch);
    expect(text).not.toContain('urn:uuid:6f1c2a7e-3b1d-4d8e-9a51-2f0c8a1b7c01"}');
    expect(text).toContain('"subject":{"reference":"Patient/pm-potential"}');
    const app = await listen();
    const response = await app.post(`/cds-services/${SERVICE}`, request);
    expect(response.status, await response.clone().text()).toBe(200);
  });
});

describe('npm run cds-sample -- --study ID', () => {
  function sample(args: string[], mappingsDir: string) {
    return spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cds-sample.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, MAPPINGS_DIR: mappingsDir },
      encoding: 'utf8',
    });
  }

  it("fills the named study's prefetch keys (any folder in MAPPINGS_DIR), and refuses an unknown study by name", async () => {
    const mappings = await twoStudies();
    const tmp = tempDir('cds-sample');
    try {
      const input = join(tmp.dir, 'kit-demo-patient.json');
      writeFileSync(input, JSON.stringify(kitDemoPatients('2026-06-01')[0]!.bundle));
      const out = join(tmp.dir, 'request.json');
      const made = sample(['--study', 'kit-demo', input, out], mappings.dir);
      expect(made.status, made.stderr).toBe(0);
      const request = JSON.parse(readFileSync(out, 'utf8')) as { context: Json; prefetch: Json };
      expect(request.context['patientId']).toBe('kd-candidate');
      expect(Object.keys(request.prefetch).sort()).toEqual(studyTemplates('kit-demo', mappings.dir).map((t) => t.key).sort());
      // The HbA1c is in the Observation key, narrowed to kit-demo's lab codes.
      expect(JSON.stringify(request.prefetch)).toContain('kd-candidate-a1c');

      const unknown = sample(['--study', 'no-such-study', input, join(tmp.dir, 'x.json')], mappings.dir);
      expect(unknown.status).toBe(1);
      expect(unknown.stderr).toContain("unknown study 'no-such-study'");
      expect(unknown.stderr).toContain('belimumab-iim, glp1-ckd, kit-demo');
      // A path is not a study id.
      const path = sample(['--study', '../fhir-mappings/belimumab-iim', input, join(tmp.dir, 'y.json')], mappings.dir);
      expect(path.status).toBe(1);
    } finally {
      tmp.remove();
      mappings.remove();
    }
  }, 60_000);
});

describe('npm run cds-sample -- --all-studies', () => {
  it("fills every key trials-prescreen lists, and the request answers a card per study the patient fits", async () => {
    const tmp = tempDir('cds-sample-all');
    try {
      const out = join(tmp.dir, 'request.json');
      const made = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cds-sample.ts'), '--all-studies', SAMPLE_BUNDLE, out], { cwd: ROOT, encoding: 'utf8' });
      expect(made.status, made.stderr).toBe(0);
      const request = JSON.parse(readFileSync(out, 'utf8')) as { prefetch: Json };
      const app = await listen();
      const body = (await (await app.get('/cds-services')).json()) as { services: { id: string; prefetch: Json }[] };
      const trials = body.services.find((s) => s.id === 'trials-prescreen')!;
      expect(Object.keys(request.prefetch).sort()).toEqual(Object.keys(trials.prefetch).sort());
      expect((await allStudiesTemplates()).map((t) => t.template).sort()).toEqual(Object.values(trials.prefetch).sort());
      const response = await app.post('/cds-services/trials-prescreen', readFileSync(out, 'utf8'));
      expect(response.status).toBe(200);
      // candidate-dm fits belimumab-iim only.
      const { cards } = (await response.json()) as { cards: Json[] };
      expect(cards).toHaveLength(1);
      expect(cards[0]!['summary']).toContain('Belimumab');

      const both = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts/cds-sample.ts'), '--all-studies', '--study', 'glp1-ckd', SAMPLE_BUNDLE, out], { cwd: ROOT, encoding: 'utf8' });
      expect(both.status).toBe(1);
      expect(both.stderr).toContain('exclude each other');
    } finally {
      tmp.remove();
    }
  }, 60_000);
});
