// The plain-path walker of fhirpath-extract.ts must give exactly what fhirpath.js gives, for
// every expression of extract.yaml, on resources of every shape the project knows: the shipped
// examples, the case tables and generated myositis patients (contained Medications, choice
// types, arrays, partial and offset dates, wrong types).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fhirpath from 'fhirpath';
import r4 from 'fhirpath/fhir-context/r4';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { typicalMyositisPatient } from '../../src/cohort/typical-myositis-patient.js';
import { compileExtract, compilePlainPath, Extraction } from '../../src/mapping/fhirpath-extract.js';
import type { ExtractFile } from '../../src/mapping/schema.js';

type Resource = { resourceType: string; [k: string]: unknown };

const ROOT = join(import.meta.dirname, '../..');
const extract = YAML.parse(readFileSync(join(ROOT, 'fhir-mappings/_site/extract.yaml'), 'utf8')) as Record<string, Record<string, string>>;

function corpus(): Resource[] {
  const out: Resource[] = [];
  const addBundle = (b: { entry?: { resource?: Resource }[] }) => {
    for (const e of b.entry ?? []) if (e.resource) out.push(e.resource);
  };
  for (const f of readdirSync(join(ROOT, 'examples')).filter((n) => n.endsWith('.json') && !n.includes('parameters'))) {
    addBundle(JSON.parse(readFileSync(join(ROOT, 'examples', f), 'utf8')));
  }
  // The mapping tables, and every study's criterion tables (test/cases/<study>/).
  const caseDirs = readdirSync(join(ROOT, 'test/cases')).map((name) => join('test/cases', name));
  for (const dir of caseDirs) {
    for (const f of readdirSync(join(ROOT, dir)).filter((n) => n.endsWith('.yaml'))) {
      const rows = YAML.parse(readFileSync(join(ROOT, dir, f), 'utf8'), { maxAliasCount: -1 }) as unknown;
      const list = Array.isArray(rows) ? rows : ((rows as { cases?: unknown[] })?.cases ?? []);
      for (const row of list as { resources?: Resource[] }[]) for (const r of row?.resources ?? []) if (r?.resourceType) out.push(r);
    }
  }
  for (const seed of [1, 2, 3]) addBundle(typicalMyositisPatient(seed) as { entry?: { resource?: Resource }[] });
  return out;
}

describe('plain FHIRPath member paths', () => {
  const resources = corpus();

  it('has a corpus with every resource type the mapping reads', () => {
    const types = new Set(resources.map((r) => r.resourceType));
    for (const t of Object.keys(extract).filter((t) => t !== 'DiagnosticReport')) expect(types, t).toContain(t);
    expect(resources.length).toBeGreaterThan(500);
  });

  for (const [type, fields] of Object.entries(extract)) {
    for (const [field, expression] of Object.entries(fields)) {
      const fast = compilePlainPath(expression, type);
      if (!fast) continue;
      it(`${expression} walks to what fhirpath.js answers`, () => {
        const reference = fhirpath.compile(expression, r4);
        let compared = 0;
        for (const resource of resources.filter((r) => r.resourceType === type)) {
          const expected = reference(structuredClone(resource)) as unknown[];
          expect(fast(resource), `${expression} on ${JSON.stringify(resource).slice(0, 120)}`).toEqual(JSON.parse(JSON.stringify(expected)));
          compared++;
        }
        if (type !== 'DiagnosticReport') expect(compared).toBeGreaterThan(0);
      });
    }
  }

  it('Extraction.one reads, for every field and resource, the single value all() lists or a problem', () => {
    // one() counts in place (a choice element from the keys the resource has) instead of listing.
    const compiled = compileExtract(extract as unknown as ExtractFile, 'extract.yaml') as unknown as Record<string, Record<string, never>>;
    const doubled = [
      { resourceType: 'Observation', valueQuantity: { value: 1 }, valueString: 'x', effectiveDateTime: '2020-01-01', effectivePeriod: { start: '2020-01-01' } },
      { resourceType: 'Observation', valueString: ['a', null, 'b'], effectiveDateTime: [null, '2020-01-01'] },
      { resourceType: 'Condition', onsetDateTime: '2020-01-01', onsetString: 'childhood', abatementBoolean: [true, false] },
    ];
    let compared = 0;
    for (const resource of [...resources, ...doubled]) {
      const fields = compiled[resource.resourceType];
      if (!fields) continue;
      for (const field of Object.keys(fields)) {
        const listed = new Extraction(fields, resource as never).all(field as never);
        const x = new Extraction(fields, resource as never);
        const one = x.one(field as never);
        if (listed.length > 1) {
          expect(one, `${resource.resourceType}.${field}`).toBeUndefined();
          expect(x.problems).toEqual([`${field} has ${listed.length} values where one was expected`]);
        } else {
          expect(one, `${resource.resourceType}.${field}`).toBe(listed[0]);
          expect(x.problems).toEqual([]);
        }
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('leaves anything but a typed member path to fhirpath.js', () => {
    expect(compilePlainPath("Observation.code.coding.where(system = 'http://loinc.org')", 'Observation')).toBeUndefined();
    expect(compilePlainPath('Observation.value.unit', 'Observation')).toBeUndefined();
    expect(compilePlainPath('Condition.onsetWhatever.value', 'Condition')).toBeUndefined();
    expect(compilePlainPath('Condition.noSuchElement', 'Condition')).toBeUndefined();
  });

  it('reads a choice variant R4 does not list (STU3 abatementBoolean) as fhirpath.js does', () => {
    const read = compilePlainPath('Condition.abatementBoolean', 'Condition')!;
    const reference = fhirpath.compile('Condition.abatementBoolean', r4);
    for (const value of [true, [true, false], 'in remission', { a: 1 }, undefined]) {
      const resource = { resourceType: 'Condition', ...(value === undefined ? {} : { abatementBoolean: value }) };
      expect(read(resource)).toEqual(reference(structuredClone(resource)));
    }
    expect(read({ resourceType: 'Condition', abatementBoolean: true })).toEqual([true]);
  });

  it('never writes to the resource it reads', () => {
    const resource = Object.freeze({ resourceType: 'Condition', onsetDateTime: '2020-01-01', clinicalStatus: Object.freeze({ coding: Object.freeze([Object.freeze({ code: 'active' })]) }) });
    expect(compilePlainPath('Condition.onset', 'Condition')!(resource)).toEqual(['2020-01-01']);
    expect(compilePlainPath('Condition.clinicalStatus.coding.code', 'Condition')!(resource)).toEqual(['active']);
  });
});
