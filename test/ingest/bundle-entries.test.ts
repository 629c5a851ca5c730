import { describe, expect, it } from 'vitest';
import { BUNDLE_TYPES, bundleEntries } from '../../src/ingest/bundle-entries.js';
import { expectOutcome } from './outcome.js';
import { dmCandidateBundle } from './fixtures.js';

const patient = { resourceType: 'Patient', id: 'p1', gender: 'female' };
const condition = { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } };

function ids(bundle: unknown): string[] {
  return bundleEntries(bundle).entries.map((e) => `${e.resource.resourceType}/${e.resource.id ?? '-'}`);
}

describe('bundleEntries: types', () => {
  it.each(BUNDLE_TYPES)('accepts a %s Bundle and reads top-level entry[].resource', (type) => {
    const bundle = {
      resourceType: 'Bundle',
      type,
      entry: [
        { fullUrl: 'urn:uuid:1', resource: patient, request: { method: 'POST', url: 'Patient' }, response: { status: '201' } },
        { fullUrl: 'urn:uuid:2', resource: condition, search: { mode: 'match' } },
      ],
    };
    const content = bundleEntries(bundle);
    expect(content.type).toBe(type);
    expect(content.entries.map((e) => e.resource)).toEqual([patient, condition]);
    expect(content.entries[1]).toMatchObject({ fullUrl: 'urn:uuid:2', index: 1, entryPath: 'Bundle.entry[1]', path: 'Bundle.entry[1].resource' });
  });

  it('reads the example Bundle whole', () => {
    const bundle = dmCandidateBundle();
    const content = bundleEntries(bundle);
    expect(content.entries).toHaveLength(bundle.entry.length);
    expect(content.skipped).toEqual([]);
  });

  it('a Bundle without type is read as a collection; no entry is no data', () => {
    const content = bundleEntries({ resourceType: 'Bundle' });
    expect(content).toMatchObject({ type: 'collection', entries: [], skipped: [] });
    expect(content.byFullUrl.size).toBe(0);
  });

  it.each([['an unknown code', 'bag'], ['a number', 3], ['an R5-only code', 'subscription-notification']])(
    'a type that is %s: PRESCREEN_BAD_BUNDLE',
    (_desc, type) => {
      expectOutcome(() => bundleEntries({ resourceType: 'Bundle', type, entry: [] }), 'PRESCREEN_BAD_BUNDLE', 'Bundle.type');
    },
  );

  it('skips entries without a resource (a transaction-response status, a DELETE)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction-response',
      entry: [{ response: { status: '204' } }, { resource: patient, response: { status: '200' } }],
    };
    const content = bundleEntries(bundle);
    expect(content.entries.map((e) => e.index)).toEqual([1]);
    expect(content.skipped).toEqual([{ index: 0, reason: 'no-resource' }]);
  });

  it('does not open nested Bundles', () => {
    const inner = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: condition }] };
    const content = bundleEntries({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }, { resource: inner }] });
    expect(content.entries.map((e) => e.resource)).toEqual([patient, inner]);
  });

  it('a document keeps its Composition as a resource like any other', () => {
    const composition = { resourceType: 'Composition', id: 'doc', subject: { reference: 'Patient/p1' } };
    expect(ids({ resourceType: 'Bundle', type: 'document', entry: [{ resource: composition }, { resource: patient }] })).toEqual([
      'Composition/doc',
      'Patient/p1',
    ]);
  });
});

describe('bundleEntries: searchset', () => {
  it('keeps match and include, skips outcome', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: condition, search: { mode: 'match' } },
        { resource: patient, search: { mode: 'include' } },
        { resource: { resourceType: 'OperationOutcome', id: 'warn', issue: [] }, search: { mode: 'outcome' } },
        { resource: { resourceType: 'Condition', id: 'c2' } },
      ],
    };
    const content = bundleEntries(bundle);
    expect(content.entries.map((e) => e.resource.id)).toEqual(['c1', 'p1', 'c2']);
    expect(content.skipped).toEqual([{ index: 2, reason: 'search-outcome' }]);
  });

  it('search.mode outcome means nothing outside a searchset', () => {
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: condition, search: { mode: 'outcome' } }] };
    expect(ids(bundle)).toEqual(['Condition/c1']);
  });
});

describe('bundleEntries: history', () => {
  const base = 'https://ehr.example.org/fhir/';

  it('keeps only the newest version of each resource (entries are newest first)', () => {
    const v3 = { ...condition, meta: { versionId: '3' }, note: [{ text: 'v3' }] };
    const v2 = { ...condition, meta: { versionId: '2' }, note: [{ text: 'v2' }] };
    const v1 = { ...condition, meta: { versionId: '1' } };
    const bundle = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        { fullUrl: `${base}Condition/c1`, resource: v3, request: { method: 'PUT', url: 'Condition/c1' } },
        { fullUrl: `${base}Patient/p1`, resource: patient, request: { method: 'POST', url: 'Patient' } },
        { fullUrl: `${base}Condition/c1`, resource: v2, request: { method: 'PUT', url: 'Condition/c1' } },
        { fullUrl: `${base}Condition/c1`, resource: v1, request: { method: 'POST', url: 'Condition' } },
      ],
    };
    const content = bundleEntries(bundle);
    expect(content.entries.map((e) => e.resource)).toEqual([v3, patient]);
    expect(content.skipped).toEqual([
      { index: 2, reason: 'older-version' },
      { index: 3, reason: 'older-version' },
    ]);
  });

  it('drops a resource whose newest entry is a DELETE (no resource, known by request.url)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        { request: { method: 'DELETE', url: 'Condition/c1/_history/3' }, response: { status: '204' } },
        { fullUrl: `${base}Patient/p1`, resource: patient, request: { method: 'PUT', url: 'Patient/p1' } },
        { fullUrl: `${base}Condition/c1`, resource: condition, request: { method: 'PUT', url: 'Condition/c1' } },
      ],
    };
    const content = bundleEntries(bundle);
    expect(content.entries.map((e) => e.resource)).toEqual([patient]);
    expect(content.skipped).toEqual([
      { index: 0, reason: 'deleted' },
      { index: 2, reason: 'older-version' },
    ]);
  });

  it('a DELETE known by fullUrl drops the older version without one', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        { fullUrl: `${base}Condition/c1`, request: { method: 'DELETE', url: `${base}Condition/c1` } },
        { resource: condition, request: { method: 'POST', url: 'Condition' } },
      ],
    };
    expect(bundleEntries(bundle).entries).toEqual([]);
  });

  it('a DELETE older than the newest version does not drop it (re-created)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        { fullUrl: `${base}Condition/c1`, resource: condition, request: { method: 'PUT', url: 'Condition/c1' } },
        { fullUrl: `${base}Condition/c1`, request: { method: 'DELETE', url: 'Condition/c1' } },
      ],
    };
    expect(bundleEntries(bundle).entries.map((e) => e.resource)).toEqual([condition]);
  });

  it('differing versions in a history are not a conflict', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'history',
      entry: [{ resource: { ...condition, note: [{ text: 'new' }] } }, { resource: condition }],
    };
    expect(bundleEntries(bundle).entries).toHaveLength(1);
  });

  it('a DELETE in a transaction is just an entry without a resource', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { request: { method: 'DELETE', url: 'Condition/c1' } },
        { resource: condition, request: { method: 'PUT', url: 'Condition/c1' } },
      ],
    };
    expect(bundleEntries(bundle).entries.map((e) => e.resource)).toEqual([condition]);
  });
});

describe('bundleEntries: duplicates [bdl-7]', () => {
  it('identical copies collapse (same Type/id, key order irrelevant)', () => {
    const copy = { subject: { reference: 'Patient/p1' }, id: 'c1', resourceType: 'Condition' };
    const content = bundleEntries({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: condition }, { resource: patient }, { resource: copy }] });
    expect(content.entries.map((e) => e.index)).toEqual([0, 1]);
    expect(content.skipped).toEqual([{ index: 2, reason: 'identical-copy' }]);
  });

  it('byFullUrl holds the kept entries by fullUrl; a fullUrl and a Type/id name one identity, as before', () => {
    const obs = { resourceType: 'Observation', id: 'o1', status: 'final' };
    const entry = [
      { fullUrl: 'urn:uuid:a', resource: patient },
      { fullUrl: 'urn:uuid:a', resource: structuredClone(patient) },
      { resource: obs },
      // A relative fullUrl equal to the Observation's Type/id: the same identity, so a copy.
      { fullUrl: 'Observation/o1', resource: structuredClone(obs) },
      { fullUrl: 'urn:uuid:c', resource: condition },
    ];
    const content = bundleEntries({ resourceType: 'Bundle', type: 'collection', entry });
    expect(content.entries.map((e) => e.index)).toEqual([0, 2, 4]);
    expect(content.skipped).toEqual([{ index: 1, reason: 'identical-copy' }, { index: 3, reason: 'identical-copy' }]);
    expect(content.byFullUrl.size).toBe(2);
    expect(content.byFullUrl.get('urn:uuid:a')).toBe(content.entries[0]);
    expect(content.byFullUrl.get('urn:uuid:c')).toBe(content.entries[2]);
    expect(content.byFullUrl.get('Observation/o1')).toBeUndefined();
    expect(content.entries.map((e) => e.ref)).toEqual(['Patient/p1', 'Observation/o1', 'Condition/c1']);
  });

  it('identical copies under one fullUrl collapse', () => {
    const entry = { fullUrl: 'urn:uuid:a', resource: { resourceType: 'Observation', status: 'final' } };
    expect(bundleEntries({ resourceType: 'Bundle', entry: [entry, structuredClone(entry)] }).entries).toHaveLength(1);
  });

  it('differing copies with one Type/id: 422 PRESCREEN_CONFLICTING_DUPLICATE on the later entry', () => {
    const other = { ...condition, clinicalStatus: { text: 'resolved' } };
    const error = expectOutcome(
      () => bundleEntries({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: condition }, { resource: patient }, { resource: other }] }),
      'PRESCREEN_CONFLICTING_DUPLICATE',
      'Bundle.entry[2]',
    );
    expect(error.status).toBe(422);
    expect(error.issue).toBe('business-rule');
  });

  it('differing copies with one fullUrl: 422, even without ids', () => {
    expectOutcome(
      () =>
        bundleEntries({
          resourceType: 'Bundle',
          entry: [
            { fullUrl: 'urn:uuid:a', resource: { resourceType: 'Observation', status: 'final' } },
            { fullUrl: 'urn:uuid:a', resource: { resourceType: 'Observation', status: 'amended' } },
          ],
        }),
      'PRESCREEN_CONFLICTING_DUPLICATE',
      'Bundle.entry[1]',
    );
  });

  it('the same id under two different fullUrls are two resources', () => {
    const bundle = {
      resourceType: 'Bundle',
      entry: [
        { fullUrl: 'https://a.example/fhir/Condition/c1', resource: condition },
        { fullUrl: 'https://b.example/fhir/Condition/c1', resource: { ...condition, note: [{ text: 'b' }] } },
      ],
    };
    expect(bundleEntries(bundle).entries).toHaveLength(2);
  });

  it('resources with neither fullUrl nor id are never duplicates', () => {
    const obs = { resourceType: 'Observation', status: 'final' };
    expect(bundleEntries({ resourceType: 'Bundle', entry: [{ resource: obs }, { resource: { ...obs } }] }).entries).toHaveLength(2);
  });

  it('the conflict expression follows a Bundle inside Parameters', () => {
    expectOutcome(
      () =>
        bundleEntries(
          { resourceType: 'Bundle', entry: [{ resource: condition }, { resource: { ...condition, note: [] } }] },
          { rootPath: 'Parameters.parameter[0].resource' },
        ),
      'PRESCREEN_CONFLICTING_DUPLICATE',
      'Parameters.parameter[0].resource.entry[1]',
    );
  });
});

describe('bundleEntries: wrong types everywhere', () => {
  it.each([
    ['entry is an object', { entry: { resource: patient } }, 'Bundle.entry'],
    ['entry is a string', { entry: 'Patient/p1' }, 'Bundle.entry'],
    ['an entry is null', { entry: [null] }, 'Bundle.entry[0]'],
    ['an entry is an array', { entry: [{ resource: patient }, [patient]] }, 'Bundle.entry[1]'],
    ['a resource is a string', { entry: [{ resource: 'Patient/p1' }] }, 'Bundle.entry[0].resource'],
    ['a resource is null', { entry: [{ resource: null }] }, 'Bundle.entry[0].resource'],
    ['a resource is an array', { entry: [{ resource: [patient] }] }, 'Bundle.entry[0].resource'],
    ['a resource without resourceType', { entry: [{ resource: { id: 'x' } }] }, 'Bundle.entry[0].resource'],
    ['a resourceType that is a number', { entry: [{ resource: { resourceType: 1 } }] }, 'Bundle.entry[0].resource'],
    ['an empty resourceType', { entry: [{ resource: { resourceType: '' } }] }, 'Bundle.entry[0].resource'],
    ['an id that is a number', { entry: [{ resource: { resourceType: 'Patient', id: 1 } }] }, 'Bundle.entry[0].resource.id'],
    ['a fullUrl that is a number', { entry: [{ fullUrl: 42, resource: patient }] }, 'Bundle.entry[0].fullUrl'],
    ['an empty fullUrl', { entry: [{ fullUrl: '', resource: patient }] }, 'Bundle.entry[0].fullUrl'],
    ['an id with a NUL (PostgreSQL refuses it)', { entry: [{ resource: { resourceType: 'Condition', id: 'x\u0000' } }] }, 'Bundle.entry[0].resource.id'],
    ['an id with white space', { entry: [{ resource: { resourceType: 'Condition', id: 'a b' } }] }, 'Bundle.entry[0].resource.id'],
    ['a fullUrl with a control character', { entry: [{ fullUrl: 'urn:uuid:1\u0007', resource: patient }] }, 'Bundle.entry[0].fullUrl'],
    // An indexed column cannot hold it (a btree entry is at most ~2.7 kB): a 400, not a failed write.
    ['an id of 1,025 characters', { entry: [{ resource: { resourceType: 'Patient', id: 'x'.repeat(1025) } }] }, 'Bundle.entry[0].resource.id'],
    ['an id of a megabyte', { entry: [{ resource: { resourceType: 'Patient', id: 'x'.repeat(1_000_000) } }] }, 'Bundle.entry[0].resource.id'],
    ['a fullUrl of 2,049 characters', { entry: [{ fullUrl: `urn:x:${'u'.repeat(2043)}`, resource: patient }] }, 'Bundle.entry[0].fullUrl'],
    // A usable fullUrl spares the id its scan only when the id ends it: these still fail.
    ['an id with white space under a usable fullUrl', { entry: [{ fullUrl: 'https://e.org/fhir/Condition/a', resource: { resourceType: 'Condition', id: 'a b' } }] }, 'Bundle.entry[0].resource.id'],
    ['an id with a tab, the usable fullUrl ending in its tail', { entry: [{ fullUrl: 'https://e.org/fhir/Condition/b', resource: { resourceType: 'Condition', id: 'a\tb' } }] }, 'Bundle.entry[0].resource.id'],
    ['an id of 1,025 characters that ends its usable fullUrl', { entry: [{ fullUrl: `urn:x:${'x'.repeat(1025)}`, resource: { resourceType: 'Patient', id: 'x'.repeat(1025) } }] }, 'Bundle.entry[0].resource.id'],
  ])('%s: PRESCREEN_BAD_BUNDLE', (_desc, fields, expression) => {
    const error = expectOutcome(() => bundleEntries({ resourceType: 'Bundle', type: 'collection', ...fields }), 'PRESCREEN_BAD_BUNDLE', expression);
    expect(error.status).toBe(400);
  });

  it('accepts an id longer than the R4 pattern: some EHRs send them, and they screen fine', () => {
    const long = 'e'.repeat(1024);
    expect(ids({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Condition', id: long } }] })).toEqual([`Condition/${long}`]);
  });

  it.each([['a Patient', patient], ['an array', [patient]], ['a string', 'Bundle'], ['null', null]])(
    'not a Bundle (%s): PRESCREEN_NOT_BUNDLE',
    (_desc, value) => {
      expectOutcome(() => bundleEntries(value), 'PRESCREEN_NOT_BUNDLE');
    },
  );

  it('malformed search and request elements are read as absent', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: condition, search: 'outcome', request: 7 }],
    };
    expect(ids(bundle)).toEqual(['Condition/c1']);
  });
});

describe('bundleEntries: limits', () => {
  it('a 100,000-entry Bundle: PRESCREEN_TOO_MANY_ENTRIES, without reading the entries', () => {
    const entry = Array.from({ length: 100_000 }, (_, i) => ({ resource: { resourceType: 'Observation', id: `o${i}` } }));
    // A poisoned entry past the limit proves the answer comes from the length alone.
    entry.push({ resource: 'not a resource' } as never);
    const error = expectOutcome(() => bundleEntries({ resourceType: 'Bundle', type: 'collection', entry }), 'PRESCREEN_TOO_MANY_ENTRIES', 'Bundle.entry');
    expect(error.status).toBe(413);
  });

  it('the entry limit is a parameter, counted before anything is skipped', () => {
    const entry = [{ resource: patient }, { response: { status: '200' } }, { resource: condition }];
    expectOutcome(() => bundleEntries({ resourceType: 'Bundle', entry }, { maxEntries: 2 }), 'PRESCREEN_TOO_MANY_ENTRIES', 'Bundle.entry');
    expect(bundleEntries({ resourceType: 'Bundle', entry }, { maxEntries: 3 }).entries).toHaveLength(2);
  });

  it('100,000 nested arrays inside a resource: read as they are, not a stack overflow (max-depth.ts)', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    const resource = { resourceType: 'Basic', id: 'b', extension: deep };
    const bundle = { resourceType: 'Bundle', type: 'collection', entry: [{ resource }, { resource: { ...resource } }] };
    // The identical copy is compared whole, 100,000 levels down, without recursion.
    const content = bundleEntries(bundle);
    expect(content.entries.map((e) => e.resource)).toEqual([resource]);
    expect(content.skipped).toEqual([{ index: 1, reason: 'identical-copy' }]);
  });
});
