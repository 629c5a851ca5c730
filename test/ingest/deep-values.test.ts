// Screening does not walk a Bundle whole to hold it to a depth (ingest/max-depth.ts): it reads
// each resource a few members deep and nothing on that path recurses into input. This holds it
// to that. A value 100,000 levels deep (arrays, or objects in arrays) goes in at every place of
// a myositis patient's resources, one place per screening: every member and list item at every
// level, of every resource type the study reads and some it does not. Each screening ends in a
// ResearchSubject or, where the value breaks the Bundle's structure, an OperationOutcomeError;
// never a stack overflow (a RangeError).

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { typicalMyositisPatient } from '../../tools/cohort/typical-myositis-patient.js';
import { OperationOutcomeError } from '../../src/fhir/errors.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { readScreenBody } from '../../src/ingest/read-screen-body.js';
import { renderResearchSubject } from '../../src/render/research-subject.js';
import { screenPatient } from '../../src/screening/screen-patient.js';
import { loadStudies, type ScreeningStudy } from '../../src/screening/study-registry.js';

type Json = Record<string, unknown>;
type Place = (string | number)[];

const ROOT = join(import.meta.dirname, '../..');
const AS_OF = '2026-10-26';
const DEPTH = 100_000;
const DEEP_ARRAY: unknown = JSON.parse('['.repeat(DEPTH) + ']'.repeat(DEPTH));
const DEEP_OBJECT: unknown = (() => {
  let value: unknown = { url: 'http://example.org/deep' };
  for (let i = 0; i < DEPTH; i++) value = { extension: [value] };
  return value;
})();

const study = (await loadStudies(join(ROOT, 'fhir-mappings'))).get('belimumab-iim')!;

function bundleEntries(bundle: Json): { resource: Json }[] {
  return bundle['entry'] as { resource: Json }[];
}

/** Every place in a resource: each member and list item, at every level, leaves included. */
function placesIn(value: unknown, at: Place, out: Place[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...at, i]);
      placesIn(item, [...at, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...at, key]);
      placesIn(item, [...at, key], out);
    }
  }
}

/** A copy of `value` with `deep` at `place` (and a new member there too: `place` + `extension`). */
function withDeepAt(value: unknown, place: Place, deep: unknown): unknown {
  if (place.length === 0) return deep;
  const [head, ...rest] = place;
  const copy: Json | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Json) };
  (copy as Record<string | number, unknown>)[head!] = withDeepAt((value as Record<string | number, unknown>)[head!], rest, deep);
  return copy;
}

/** The resources to vary: one of each type and code shape, so each shape's places are covered once. */
function representatives(bundle: Json): number[] {
  const seen = new Set<string>();
  const picked: number[] = [];
  bundleEntries(bundle).forEach(({ resource }, index) => {
    const places: Place[] = [];
    placesIn(resource, [], places);
    const shape = `${String(resource['resourceType'])} ${places.map((p) => p.map((k) => (typeof k === 'number' ? '#' : k)).join('.')).sort().join(' ')}`;
    if (seen.has(shape)) return;
    seen.add(shape);
    picked.push(index);
  });
  return picked;
}

/** Screens as $screen does, from the body to the ResearchSubject's text. */
function screenBody(body: unknown, using: ScreeningStudy = study): string | OperationOutcomeError {
  try {
    const read = readScreenBody(body);
    const record = buildPatientRecord(read.bundle, { rootPath: read.bundlePath });
    return JSON.stringify(renderResearchSubject(screenPatient(using, record, AS_OF), { canonicalBase: 'https://fhir-prescreen.org' }));
  } catch (error) {
    if (error instanceof OperationOutcomeError) return error;
    throw error;
  }
}

describe('a 100,000-deep value anywhere in a resource', () => {
  const bundle = typicalMyositisPatient(1, AS_OF) as unknown as Json;
  const plain = screenBody(bundle);

  it('the patient screens as it is (the baseline the variations are held to)', () => {
    expect(typeof plain).toBe('string');
  });

  for (const [kind, deep] of [['nested arrays', DEEP_ARRAY], ['nested extensions', DEEP_OBJECT]] as const) {
    it(`${kind}: every place of every kind of resource is screened or refused, never a stack overflow`, () => {
      let places = 0;
      let refused = 0;
      const types = new Set<string>();
      for (const index of representatives(bundle)) {
        const entries = bundleEntries(bundle);
        const resource = entries[index]!.resource;
        const list: Place[] = [];
        placesIn(resource, [], list);
        list.push(['extension']);
        for (const place of list) {
          const varied = { ...bundle, entry: entries.map((e, i) => (i === index ? { ...e, resource: withDeepAt(resource, place, deep) } : e)) };
          const answer = screenBody(varied);
          places++;
          if (typeof answer === 'string') continue;
          // Refused only where the value breaks the Bundle's own structure: the id, the type,
          // the reference to the patient. Everything else is screened as it is.
          const where = `${String(resource['resourceType'])}.${place.join('.')}`;
          expect(answer.status, where).toBeLessThan(500);
          expect(where).toMatch(/^\w+\.(id|resourceType|subject|subject\.reference|patient|patient\.reference)$/);
          refused++;
        }
        types.add(String(resource['resourceType']));
      }
      expect(types).toEqual(new Set(['Patient', 'Encounter', 'Observation', 'Procedure', 'Condition', 'Immunization', 'MedicationRequest', 'MedicationAdministration', 'MedicationStatement', 'Medication']));
      expect(places).toBeGreaterThan(300);
      expect(refused).toBeLessThan(places / 5);
    });
  }

  it('in a resource the study never reads, it changes nothing', () => {
    const entries = bundleEntries(bundle);
    const index = entries.findIndex((e) => e.resource['resourceType'] === 'Immunization');
    const varied = { ...bundle, entry: entries.map((e, i) => (i === index ? { ...e, resource: { ...e.resource, extension: DEEP_ARRAY } } : e)) };
    expect(screenBody(varied)).toBe(plain);
  });

  it('inside Parameters, around the Bundle: screened, not refused', () => {
    const body = { resourceType: 'Parameters', parameter: [{ name: 'bundle', resource: bundle, extension: DEEP_OBJECT }] };
    expect(screenBody(body)).toBe(plain);
  });
});

// The shipped mapping is all plain member paths, which never recurse. A site's own mapping may
// use functions; then fhirpath.js (and structuredClone before it) would follow the input down.
const deepMappingDir = mkdtempSync(join(tmpdir(), 'deep-mapping-'));
cpSync(join(ROOT, 'fhir-mappings'), deepMappingDir, { recursive: true });
const extractFile = join(deepMappingDir, '_site', 'extract.yaml');
writeFileSync(extractFile, readFileSync(extractFile, 'utf8').replace('value: Observation.value\n', 'value: Observation.value.select($this)\n'));
const withFunctions = (await loadStudies(deepMappingDir)).get('belimumab-iim')!;

describe('a mapping expression fhirpath.js evaluates, on a resource too deep for it', () => {
  afterAll(() => rmSync(deepMappingDir, { recursive: true, force: true }));

  it('reads the value as unreadable and says why; the other Observations are read as before', () => {
    const bundle = typicalMyositisPatient(1, AS_OF) as unknown as Json;
    const entries = bundleEntries(bundle);
    const record = buildPatientRecord(bundle);
    const labs = withFunctions.mapping.buildModel(record, AS_OF).labs;
    const ck = labs.find((l) => l.test === 'ck' && l.value !== undefined)!;
    const index = entries.findIndex((e) => `Observation/${String(e.resource['id'])}` === ck.ref);
    const varied = { ...bundle, entry: entries.map((e, i) => (i === index ? { ...e, resource: { ...e.resource, extension: DEEP_OBJECT } } : e)) };

    const deepLabs = withFunctions.mapping.buildModel(buildPatientRecord(varied), AS_OF).labs;
    const deepCk = deepLabs.find((l) => l.ref === ck.ref)!;
    expect(deepCk.value).toBeUndefined();
    expect(deepCk.valueProblem).toBe('value could not be read: the resource is nested too deeply');
    expect(deepLabs.filter((l) => l.ref !== ck.ref)).toEqual(labs.filter((l) => l.ref !== ck.ref));
    expect(typeof screenBody(varied, withFunctions)).toBe('string');
  });
});
