// The synthetic cohort generator: deterministic, valid NDJSON, referentially sound, ~1%
// myositis and ~65 resources per patient, with optional per-patient Bundles. The type 2
// diabetes population (glp1-ckd) has its own tests: glp1-population.test.ts.

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCohort } from '../../tools/cohort/generate-cohort.js';
import { BOUNDARY_SCENARIOS } from '../../tools/cohort/myositis-scenarios.js';
import { typicalMyositisPatient } from '../../tools/cohort/typical-myositis-patient.js';
import { RESOURCE_FILES, writeCohort } from '../../tools/cohort/write-cohort.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'cohort-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.ndjson')).sort()) {
    h.update(name);
    h.update(readFileSync(join(dir, name)));
  }
  return h.digest('hex');
}

function readNdjson(file: string): Record<string, unknown>[] {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every `reference` string anywhere inside a resource. */
function references(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) references(v, out);
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string') out.push(v);
      else references(v, out);
    }
  }
  return out;
}

describe('writeCohort on 2,000 patients', () => {
  const out = tempDir();
  const started = performance.now();
  const summary = writeCohort({ patients: 2000, seed: 'test-seed' }, out);
  const seconds = (performance.now() - started) / 1000;

  it('writes one parseable NDJSON file per resource type, each line a resource with an id', () => {
    const files = readdirSync(out);
    for (const type of RESOURCE_FILES) expect(files).toContain(`${type}.ndjson`);
    let total = 0;
    const bad: string[] = [];
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const type of RESOURCE_FILES) {
      for (const r of readNdjson(join(out, `${type}.ndjson`))) {
        if (r.resourceType !== type || typeof r.id !== 'string' || !uuid.test(r.id)) bad.push(`${type}: ${JSON.stringify(r).slice(0, 80)}`);
        total++;
      }
    }
    expect(bad).toEqual([]);
    expect(total).toBe(summary.resources);
    for (const type of ['Observation', 'Condition', 'MedicationRequest', 'MedicationStatement', 'MedicationAdministration', 'Procedure', 'Encounter', 'AllergyIntolerance', 'Immunization']) {
      expect(summary.resourcesByType[type] ?? 0, type).toBeGreaterThan(0);
    }
  });

  it('points every Patient, Encounter, Condition and Medication reference at a resource in the export', () => {
    const ids = new Set<string>();
    const all: Record<string, unknown>[] = [];
    for (const type of RESOURCE_FILES) {
      for (const r of readNdjson(join(out, `${type}.ndjson`))) {
        ids.add(`${type}/${String(r.id)}`);
        all.push(r);
      }
    }
    const patients = readNdjson(join(out, 'Patient.ndjson'));
    expect(patients).toHaveLength(2000);
    let checked = 0;
    const bad: string[] = [];
    for (const r of all) {
      if (r.resourceType !== 'Patient' && r.resourceType !== 'Medication') {
        const owner = (r.subject ?? r.patient) as { reference?: string } | undefined;
        if (!owner?.reference?.startsWith('Patient/') || !ids.has(owner.reference)) bad.push(`${String(r.resourceType)}/${String(r.id)} has no Patient`);
      }
      for (const ref of references(r)) {
        if (ref.startsWith('#') || ref.includes('?')) continue; // contained; conditional (Synthea's Practitioner?identifier=…)
        if (!ids.has(ref)) bad.push(`${String(r.resourceType)}/${String(r.id)} → ${ref}`);
        checked++;
      }
    }
    expect(bad).toEqual([]);
    expect(checked).toBeGreaterThan(summary.resources);
  });

  it('has about 1% myositis patients, each named in scenarios.ndjson and nowhere in the resources', () => {
    const rows = readNdjson(join(out, 'scenarios.ndjson'));
    const scenarios = rows.filter((r) => r.study === 'belimumab-iim');
    expect(scenarios).toHaveLength(summary.myositisPatients);
    expect(rows.filter((r) => r.study === 'glp1-ckd')).toHaveLength(summary.t2dPatients);
    expect(rows).toHaveLength(summary.myositisPatients + summary.t2dPatients);
    expect(summary.myositisPatients).toBeGreaterThanOrEqual(8);
    expect(summary.myositisPatients).toBeLessThanOrEqual(35);
    const patientIds = new Set(readNdjson(join(out, 'Patient.ndjson')).map((p) => `Patient/${String(p.id)}`));
    const observations = readFileSync(join(out, 'Observation.ndjson'), 'utf8');
    for (const s of scenarios) {
      expect(patientIds.has(String(s.patient))).toBe(true);
      expect(typeof s.scenario).toBe('string');
      expect(observations.includes(`"${String(s.scenario)}"`)).toBe(false);
    }
  });

  it('averages about 65 resources per patient', () => {
    const avg = summary.resources / summary.patients;
    console.log(
      `cohort: ${summary.patients} patients, ${summary.myositisPatients} myositis, ${summary.resources} resources, ` +
        `${avg.toFixed(1)} per patient, ${(summary.bytes / 1e6).toFixed(1)} MB, ${seconds.toFixed(2)} s (${Math.round(summary.patients / seconds)} patients/s)`,
    );
    expect(avg).toBeGreaterThan(45);
    expect(avg).toBeLessThan(80);
  });

  it('is byte-identical for the same seed and different for another', () => {
    const again = tempDir();
    writeCohort({ patients: 300, seed: 'test-seed' }, again);
    const same = tempDir();
    writeCohort({ patients: 300, seed: 'test-seed' }, same);
    const other = tempDir();
    writeCohort({ patients: 300, seed: 'other-seed' }, other);
    expect(hashDir(again)).toBe(hashDir(same));
    expect(hashDir(other)).not.toBe(hashDir(same));
  });
});

describe('generateCohort', () => {
  it('is lazy: taking 3 patients of a million generates only those', () => {
    const it3: string[] = [];
    for (const p of generateCohort({ patients: 1_000_000, seed: 1 })) {
      it3.push(p.patientId);
      if (it3.length === 3) break;
    }
    expect(it3).toHaveLength(3);
  });

  it('puts the Patient first and gives every study patient a scenario', () => {
    let myositis = 0;
    let t2d = 0;
    for (const p of generateCohort({ patients: 200, seed: 3, myositisRate: 0.2 })) {
      expect(p.resources[0]!.resourceType).toBe('Patient');
      expect(p.resources[0]!.id).toBe(p.patientId);
      if (p.scenario?.study === 'belimumab-iim') {
        myositis++;
        expect(p.resources.length).toBeGreaterThan(50);
      } else if (p.scenario?.study === 'glp1-ckd') {
        t2d++;
        expect(p.resources.some((r) => r.resourceType === 'Observation')).toBe(true);
      } else {
        expect(p.scenario).toBeUndefined();
      }
    }
    expect(myositis).toBeGreaterThan(20);
    expect(t2d).toBeGreaterThan(5);
  });

  it('covers every boundary scenario once the cohort holds enough myositis patients', () => {
    const seen = new Set<string>();
    for (const p of generateCohort({ patients: BOUNDARY_SCENARIOS.length * 2 + 10, seed: 5, myositisRate: 1 })) {
      seen.add(p.scenario!.name);
      expect(JSON.stringify(p.resources)).not.toContain('NaN');
    }
    for (const s of BOUNDARY_SCENARIOS) expect(seen.has(s.name), s.name).toBe(true);
  });

  it('writes dates relative to asOf and never after it', () => {
    const asOf = '2024-02-29';
    for (const p of generateCohort({ patients: 60, seed: 9, asOf, myositisRate: 0.5 })) {
      const text = JSON.stringify(p.resources);
      for (const m of text.matchAll(/"(\d{4}-\d{2}-\d{2})(T[^"]*)?"/g)) expect(m[1]! <= asOf, m[0]).toBe(true);
    }
  });

  it('rejects a bad asOf or rate', () => {
    expect(() => [...generateCohort({ patients: 1, seed: 1, asOf: '2026-02-30' })]).toThrow();
    expect(() => [...generateCohort({ patients: 1, seed: 1, myositisRate: 2 })]).toThrow();
  });
});

describe('bundles and the benchmark patient', () => {
  it('writes one collection Bundle per patient with --bundles', () => {
    const out = tempDir();
    const summary = writeCohort({ patients: 40, seed: 'b', bundles: true, myositisRate: 0.1 }, out);
    const files = readdirSync(join(out, 'bundles'));
    expect(files).toHaveLength(40);
    let entries = 0;
    for (const f of files) {
      const bundle = JSON.parse(readFileSync(join(out, 'bundles', f), 'utf8')) as { resourceType: string; type: string; entry: { fullUrl: string; resource: { resourceType: string; id: string } }[] };
      expect(bundle.resourceType).toBe('Bundle');
      expect(bundle.type).toBe('collection');
      expect(bundle.entry[0]!.resource.resourceType).toBe('Patient');
      expect(`${bundle.entry[0]!.resource.id}.json`).toBe(f);
      for (const e of bundle.entry) expect(e.fullUrl.endsWith(`/${e.resource.resourceType}/${e.resource.id}`)).toBe(true);
      entries += bundle.entry.length;
    }
    expect(entries).toBe(summary.resources);
  });

  it('typicalMyositisPatient gives a deterministic Bundle of about 300 resources', () => {
    const a = typicalMyositisPatient(1);
    const b = typicalMyositisPatient(1);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.entry.length).toBeGreaterThanOrEqual(270);
    expect(a.entry.length).toBeLessThanOrEqual(330);
    const types = new Set(a.entry.map((e) => e.resource.resourceType));
    for (const t of ['Patient', 'Condition', 'Observation', 'Encounter']) expect(types.has(t)).toBe(true);
    expect(JSON.stringify(typicalMyositisPatient(2))).not.toBe(JSON.stringify(a));
  });
});
