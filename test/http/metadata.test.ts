import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../src/config.js';
import { openApiText } from '../../src/http/openapi.js';
import { build } from '../helpers/build-app.js';
import { r4Errors } from '../render/r4-validator.js';
import type { Json } from './fixtures.js';

describe('GET /metadata', () => {
  it('is a valid R4 CapabilityStatement with the $screen operation', async () => {
    const { app } = await build({ env: { PUBLIC_URL: 'https://prescreen.example.org' } });
    const response = await app.inject({ url: '/metadata' });
    expect(response.statusCode).toBe(200);
    const cs = response.json() as Json;
    expect(r4Errors(cs)).toEqual([]);
    expect(cs).toMatchObject({
      resourceType: 'CapabilityStatement',
      status: 'active',
      kind: 'instance',
      fhirVersion: '4.0.1',
      format: ['json', 'application/fhir+json'],
      implementation: { url: 'https://prescreen.example.org' },
    });
    expect(typeof cs.date).toBe('string');
    const study = cs.rest[0].resource.find((r: Json) => r.type === 'ResearchStudy');
    expect(study.interaction.map((i: Json) => i.code)).toEqual(['read', 'search-type']);
    expect(study.operation).toEqual([
      { name: 'screen', definition: 'https://fhir-prescreen.org/OperationDefinition/ResearchStudy-screen' },
      { name: 'screen', definition: 'https://fhir-prescreen.org/OperationDefinition/ResearchStudy-screen-all' },
    ]);
    // Each definition is served at its canonical URL's id.
    for (const { definition } of study.operation as { definition: string }[]) {
      const id = definition.split('/').at(-1)!;
      expect((await app.inject({ url: `/OperationDefinition/${id}` })).json()).toMatchObject({ url: definition, id });
    }
    const subject = cs.rest[0].resource.find((r: Json) => r.type === 'ResearchSubject');
    expect(subject.interaction.map((i: Json) => i.code)).toEqual(['read', 'search-type']);
    expect(subject.searchParam.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['study', 'status']));
  });

  it('falls back to the request host for implementation.url', async () => {
    const { app } = await build();
    const cs = (await app.inject({ url: '/metadata', headers: { host: 'prescreen.local:8080' } })).json() as Json;
    expect(cs.implementation.url).toBe('http://prescreen.local:8080');
  });
});

describe('GET /OperationDefinition/ResearchStudy-screen', () => {
  it('is a valid R4 OperationDefinition for $screen', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/OperationDefinition/ResearchStudy-screen' });
    expect(response.statusCode).toBe(200);
    const od = response.json() as Json;
    expect(r4Errors(od)).toEqual([]);
    expect(od).toMatchObject({
      resourceType: 'OperationDefinition',
      id: 'ResearchStudy-screen',
      url: 'https://fhir-prescreen.org/OperationDefinition/ResearchStudy-screen',
      code: 'screen',
      kind: 'operation',
      resource: ['ResearchStudy'],
      instance: true,
      system: false,
      type: false,
      affectsState: true,
    });
    expect(od.parameter.map((p: Json) => [p.name, p.use, p.min, p.max, p.type])).toEqual([
      ['bundle', 'in', 1, '1', 'Bundle'],
      ['asOf', 'in', 0, '1', 'date'],
      ['return', 'out', 1, '1', 'ResearchSubject'],
    ]);
  });
});

describe('GET /OperationDefinition/ResearchStudy-screen-all', () => {
  it('is a valid R4 OperationDefinition for the type-level $screen: another out type, one more in-parameter', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/OperationDefinition/ResearchStudy-screen-all' });
    expect(response.statusCode).toBe(200);
    const od = response.json() as Json;
    expect(r4Errors(od)).toEqual([]);
    expect(od).toMatchObject({
      resourceType: 'OperationDefinition',
      id: 'ResearchStudy-screen-all',
      url: 'https://fhir-prescreen.org/OperationDefinition/ResearchStudy-screen-all',
      code: 'screen',
      kind: 'operation',
      resource: ['ResearchStudy'],
      instance: false,
      system: false,
      type: true,
      affectsState: true,
    });
    expect(od.parameter.map((p: Json) => [p.name, p.use, p.min, p.max, p.type])).toEqual([
      ['bundle', 'in', 1, '1', 'Bundle'],
      ['asOf', 'in', 0, '1', 'date'],
      ['study', 'in', 0, '1', 'string'],
      ['return', 'out', 1, '1', 'Bundle'],
    ]);
  });
});

describe('ResearchStudy', () => {
  it('GET /ResearchStudy/belimumab-iim: valid R4, every criterion a characteristic of the contained Group', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/ResearchStudy/belimumab-iim' });
    expect(response.statusCode).toBe(200);
    const rs = response.json() as Json;
    expect(r4Errors(rs)).toEqual([]);
    expect(rs.id).toBe('belimumab-iim');
    expect(rs.enrollment).toEqual([{ reference: '#criteria' }]);
    const group = rs.contained.find((c: Json) => c.id === 'criteria');
    expect(group).toMatchObject({ resourceType: 'Group', type: 'person', actual: false });
    const criteria = app.studies.get('belimumab-iim')!.mapping.criteria;
    expect(group.characteristic).toHaveLength(criteria.length);
    group.characteristic.forEach((ch: Json, i: number) => {
      expect(ch.code.coding[0].system).toBe('https://fhir-prescreen.org/CodeSystem/belimumab-iim');
      expect(ch.code.coding[0].code).toBe(criteria[i]!.id);
      expect(ch.valueBoolean).toBe(true);
      expect(ch.exclude).toBe(criteria[i]!.type === 'exclusion');
    });
  });

  it('uses the configured canonical base for the criteria CodeSystem', async () => {
    const { app } = await build({ env: { CANONICAL_BASE: 'https://example.org/fhir' } });
    const rs = (await app.inject({ url: '/ResearchStudy/belimumab-iim' })).json() as Json;
    expect(rs.contained[0].characteristic[0].code.coding[0].system).toBe('https://example.org/fhir/CodeSystem/belimumab-iim');
  });

  it('GET /ResearchStudy: a searchset of the studies', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/ResearchStudy' });
    expect(response.statusCode).toBe(200);
    const bundle = response.json() as Json;
    expect(r4Errors(bundle)).toEqual([]);
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: app.studies.size });
    expect(bundle.entry.map((e: Json) => e.resource.id)).toContain('belimumab-iim');
    expect(bundle.entry[0].search).toEqual({ mode: 'match' });
    expect(bundle.link[0].relation).toBe('self');
  });
});

describe('probes and docs', () => {
  it('GET /healthz is 200', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/healthz', headers: { accept: 'text/plain' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('GET /readyz is 200 with storage up and studies loaded', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
  });

  it('GET /openapi.json is the generated OpenAPI document, components named by $id', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as Json;
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(['ResearchSubject', 'OperationOutcome', 'Bundle', 'ScreenBody', 'ResearchStudy']),
    );
    expect(Object.keys(doc.components.schemas).filter((k) => k.startsWith('def-'))).toEqual([]);
    const screenOp = doc.paths['/ResearchStudy/{study}/$screen'].post;
    expect(Object.keys(screenOp.requestBody.content)).toEqual(['application/fhir+json', 'application/json', 'application/fhir+ndjson']);
    expect(screenOp.responses['200'].content['application/fhir+json'].schema).toEqual({ $ref: '#/components/schemas/ResearchSubject' });
    for (const path of ['/metadata', '/ResearchStudy', '/ResearchStudy/{study}', '/ResearchSubject', '/ResearchSubject/{id}', '/healthz', '/readyz']) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
  });

  it('GET /docs serves the browsable page', async () => {
    const { app } = await build();
    const response = await app.inject({ url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it('openapi/openapi.json is up to date', async () => {
    const { app } = await build();
    const path = join(projectRoot(), 'openapi', 'openapi.json');
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // reported below
    }
    expect(committed === openApiText(app), 'openapi/openapi.json differs from the routes: run `npm run openapi`').toBe(true);
  });
});
