import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadConfig } from '../../src/config.js';
import { prefetchCodes } from '../../src/mapping/prefetch-codes.js';
import { discovery, emptiesIn, listen, SERVICE } from './setup.js';

describe('GET /cds-services (discovery)', () => {
  it('lists one patient-view service per study and trials-prescreen, with no null or empty field', async () => {
    const app = await listen();
    const response = await app.get('/cds-services');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as { services: Record<string, unknown>[] };
    // One per folder of fhir-mappings/ (the second study is data only), then the one for all of them.
    expect(body.services.map((s) => s['id'])).toEqual([SERVICE, 'glp1-ckd-prescreen', 'trials-prescreen']);
    const service = body.services.find((s) => s['id'] === SERVICE)!;
    expect(service).toMatchObject({ hook: 'patient-view', id: SERVICE });
    expect(typeof service['title']).toBe('string');
    expect(typeof service['description']).toBe('string');
    expect(emptiesIn(body)).toEqual([]);
  });

  it('prefetches FamilyMemberHistory for a study that reads it (glp1-ckd, exc-mtc-men2)', async () => {
    const app = await listen();
    const response = await app.get('/cds-services');
    const body = (await response.json()) as { services: { id: string; prefetch: Record<string, string> }[] };
    const glp1 = body.services.find((s) => s.id === 'glp1-ckd-prescreen')!;
    expect(glp1.prefetch['familyMemberHistories']).toBe('FamilyMemberHistory?patient={{context.patientId}}');
    expect(Object.values(glp1.prefetch).join(',')).toContain('http://loinc.org|88020-3'); // NYHA class
  });

  it('prefetches exactly what the mapping reads, built from the mapping files', async () => {
    const app = await listen();
    const { prefetch } = await discovery(app);
    const codes = prefetchCodes(join(loadConfig({}).mappingsDir, 'belimumab-iim'));
    expect(prefetch['patient']).toBe('Patient/{{context.patientId}}');
    for (const [key, type] of [
      ['conditions', 'Condition'],
      ['medicationStatements', 'MedicationStatement'],
      ['medicationRequests', 'MedicationRequest'],
      ['medicationAdministrations', 'MedicationAdministration'],
      ['medicationDispenses', 'MedicationDispense'],
      ['procedures', 'Procedure'],
      ['encounters', 'Encounter'],
      ['allergyIntolerances', 'AllergyIntolerance'],
    ]) {
      expect(prefetch[key!]).toBe(`${type}?patient={{context.patientId}}`);
    }
    // Every lab and measure code of labs.yaml / assessments.yaml appears in exactly one Observation template.
    const observationTemplates = Object.entries(prefetch).filter(([k]) => k.startsWith('observations')).map(([, t]) => t);
    expect(observationTemplates.length).toBeGreaterThan(0);
    const tokens = observationTemplates.flatMap((t) => {
      expect(t).toMatch(/^Observation\?patient=\{\{context\.patientId\}\}&code=/);
      expect(t.length).toBeLessThan(2048);
      return t.split('&code=')[1]!.split(',');
    });
    expect(tokens.sort()).toEqual(codes.observationCodes.map((c) => `${c.system}|${c.code}`).sort());
    expect(tokens).toContain('http://loinc.org|2465-3'); // serum IgG (codes.md)
    expect(tokens).toContain('http://loinc.org|2157-6'); // CK
    expect(prefetch['diagnosticReports']).toMatch(/^DiagnosticReport\?patient=\{\{context\.patientId\}\}&conclusion=/);
    // Only the tokens the spec allows: the patient id.
    for (const template of Object.values(prefetch)) {
      expect(template.match(/\{\{[^}]*\}\}/g)).toEqual(['{{context.patientId}}']);
    }
  });

  it('documents the CDS routes in OpenAPI with stable component names', async () => {
    const app = await listen();
    const doc = app.app.swagger() as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    for (const path of ['/cds-services', '/cds-services/{id}', '/cds-services/{id}/feedback', '/cds-services/{id}/feedback-summary']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['CdsRequest', 'CdsResponse', 'CdsCard', 'CdsDiscovery', 'CdsFeedbackRequest']));
  });
});
