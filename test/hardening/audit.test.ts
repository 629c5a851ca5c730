// Audit trail (issue 7 §5): every screening ($screen, NDJSON lines, CDS calls) and every
// worklist read writes an AuditEvent-shaped row (who, what, when, patient, outcome), readable
// at GET /AuditEvent by an admin; never the clinical content.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { build } from '../helpers/build-app.js';
import { candidateBundle, SCREEN_URL } from '../http/fixtures.js';
import { bearer, newApiKey } from '../auth/helpers.js';

type Json = Record<string, any>;

async function auditEvents(app: Awaited<ReturnType<typeof build>>['app'], query = '', headers: Record<string, string> = {}): Promise<Json[]> {
  const response = await app.inject({ method: 'GET', url: `/AuditEvent${query}`, headers });
  expect(response.statusCode).toBe(200);
  const bundle = response.json() as Json;
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
  return (bundle.entry ?? []).map((e: Json) => e.resource);
}

function patientOf(event: Json): string[] {
  return event.entity.filter((e: Json) => e.role?.code === '1').map((e: Json) => e.what.reference);
}

describe('audit trail', () => {
  it('records $screen, NDJSON lines, CDS calls and worklist reads, with no clinical content', async () => {
    const { app } = await build();
    const bundle = candidateBundle();
    const patientId = bundle.entry.find((e: Json) => e.resource.resourceType === 'Patient').resource.id as string;

    const screened = await app.inject({ method: 'POST', url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json' }, payload: bundle });
    expect(screened.statusCode).toBe(200);
    const subjectId = screened.json().id as string;
    const bad = await app.inject({ method: 'POST', url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json' }, payload: '{"resourceType":"Bundle","entry":[]}' });
    expect(bad.statusCode).toBe(422);

    const ndjson = readFileSync(join(projectRoot(), 'examples', 'three-patients.ndjson'), 'utf8');
    const batch = await app.inject({ method: 'POST', url: `${SCREEN_URL}?asOf=2026-11-24`, headers: { 'content-type': 'application/fhir+ndjson' }, payload: `${ndjson.trim()}\nnot json\n` });
    expect(batch.statusCode).toBe(200);

    const cds = await app.inject({
      method: 'POST',
      url: '/cds-services/belimumab-iim-prescreen',
      headers: { 'content-type': 'application/json' },
      payload: { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/x', patientId: 'cds-pat-1' } },
    });
    expect(cds.statusCode).toBe(412);

    expect((await app.inject({ method: 'GET', url: '/ResearchSubject?_count=50' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: `/ResearchSubject/${subjectId}` })).statusCode).toBe(200);

    const events = await auditEvents(app, '?_count=100');
    const bySubtype = (code: string) => events.filter((e) => e.subtype.some((s: Json) => s.code === code));

    const screens = bySubtype('screen');
    expect(screens.map((e) => e.outcome).sort()).toEqual(['0', '4']);
    const ok = screens.find((e) => e.outcome === '0')!;
    expect(patientOf(ok)).toEqual([`Patient/${patientId}`]);
    expect(ok).toMatchObject({
      action: 'E',
      outcomeDesc: 'HTTP 200',
      type: { code: 'rest' },
      agent: [{ who: { identifier: { value: 'anonymous' } }, requestor: true }],
      source: { observer: { display: 'fhir-prescreen' } },
    });
    expect(ok.entity.some((e: Json) => e.what?.reference === 'ResearchStudy/belimumab-iim')).toBe(true);

    const lines = bySubtype('screen-ndjson');
    expect(lines).toHaveLength(4);
    expect(lines.filter((e) => e.outcome === '0')).toHaveLength(3);
    expect(new Set(lines.filter((e) => e.outcome === '0').flatMap(patientOf)).size).toBe(3);

    const cdsCalls = bySubtype('cds-call');
    expect(cdsCalls).toHaveLength(1);
    expect(cdsCalls[0]).toMatchObject({ outcome: '4', outcomeDesc: 'HTTP 412' });
    expect(patientOf(cdsCalls[0]!)).toEqual(['Patient/cds-pat-1']);

    const search = bySubtype('worklist-search');
    expect(search).toHaveLength(1);
    expect(patientOf(search[0]!)).toContain(`Patient/${patientId}`);
    expect(patientOf(bySubtype('worklist-read')[0]!)).toEqual([`Patient/${patientId}`]);

    // Nothing clinical: no name, birth date, identifier, code or criterion result from the inputs.
    const text = JSON.stringify(events);
    const patient = bundle.entry.find((e: Json) => e.resource.resourceType === 'Patient').resource;
    for (const needle of [patient.birthDate, ...(patient.name?.[0]?.given ?? []), patient.name?.[0]?.family, patient.identifier?.[0]?.value, 'Alvarez', 'candidate', 'loinc', 'snomed']) {
      if (needle) expect(text.toLowerCase()).not.toContain(String(needle).toLowerCase());
    }

    // Searchable by patient and by subtype; the reads of the audit log are themselves audited.
    const forPatient = await auditEvents(app, `?patient=${patientId}`);
    expect(forPatient.length).toBeGreaterThanOrEqual(3);
    expect(forPatient.every((e) => patientOf(e).includes(`Patient/${patientId}`))).toBe(true);
    expect((await auditEvents(app, '?subtype=cds-call'))).toHaveLength(1);
    expect((await auditEvents(app, '?subtype=audit-read')).length).toBeGreaterThanOrEqual(1);
    const one = await app.inject({ method: 'GET', url: `/AuditEvent/${ok.id}` });
    expect(one.json()).toMatchObject({ resourceType: 'AuditEvent', id: ok.id });
    expect((await app.inject({ method: 'GET', url: '/AuditEvent?subtype=nope' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/AuditEvent?date=ge2026-02-30' })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/AuditEvent/not-a-uuid' })).statusCode).toBe(404);
  });

  it('keeps one row per call, each with its own patient and status, when many calls arrive at once', async () => {
    const { app } = await build();
    // CDS calls whose data cannot be had (412) and calls for unknown services (404), interleaved:
    // concurrent calls share INSERT statements, and no row may be lost or take another's fields.
    const calls = Array.from({ length: 24 }, (_, i) =>
      app.inject({
        method: 'POST',
        url: i % 3 === 0 ? '/cds-services/no-such-service' : '/cds-services/belimumab-iim-prescreen',
        headers: { 'content-type': 'application/json' },
        payload: { hook: 'patient-view', hookInstance: crypto.randomUUID(), context: { userId: 'Practitioner/x', patientId: `many-${i}` } },
      }),
    );
    const answers = await Promise.all(calls);
    expect(answers.map((a) => a.statusCode)).toEqual(answers.map((_, i) => (i % 3 === 0 ? 404 : 412)));
    const events = await auditEvents(app, '?subtype=cds-call&_count=100');
    expect(events).toHaveLength(24);
    const byPatient = new Map(events.map((e) => [patientOf(e)[0], e.outcomeDesc]));
    for (let i = 0; i < 24; i++) expect(byPatient.get(`Patient/many-${i}`)).toBe(i % 3 === 0 ? 'HTTP 404' : 'HTTP 412');
  });

  it('names the authenticated client, records denied attempts, and needs the admin scope to read', async () => {
    const admin = newApiKey();
    const nightly = newApiKey();
    const { app } = await build({
      env: {
        AUTH_API_KEYS: JSON.stringify([
          { name: 'auditor', sha256: admin.sha256, scopes: 'system/AuditEvent.read' },
          { name: 'nightly', sha256: nightly.sha256, scopes: 'system/ResearchSubject.write' },
        ]),
      },
    });
    const screen = (headers: Record<string, string>) =>
      app.inject({ method: 'POST', url: SCREEN_URL, headers: { 'content-type': 'application/fhir+json', ...headers }, payload: candidateBundle() });
    expect((await screen(bearer(nightly.key))).statusCode).toBe(200);
    expect((await screen({})).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/ResearchSubject', headers: bearer(nightly.key) })).statusCode).toBe(403);

    expect((await app.inject({ method: 'GET', url: '/AuditEvent', headers: bearer(nightly.key) })).statusCode).toBe(403);
    const events = await auditEvents(app, '', bearer(admin.key));
    const who = (e: Json) => `${e.agent[0].who.identifier.value}:${e.outcomeDesc}`;
    expect(events.map(who).sort()).toEqual(['anonymous:HTTP 401', 'nightly:HTTP 200', 'nightly:HTTP 403', 'nightly:HTTP 403']);
    expect(events.find((e) => who(e) === 'nightly:HTTP 200')!.agent[0].who.identifier.system).toMatch(/\/principal\/api-key$/);
  });
});
