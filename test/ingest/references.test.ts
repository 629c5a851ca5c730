import { describe, expect, it } from 'vitest';
import { parseReference, parseRestfulUrl } from '../../src/fhir/references.js';
import { recordEntry } from '../../src/ingest/assemble-patient-record.js';
import type { FhirResource, RecordEntry } from '../../src/ingest/patient-record.js';
import { createReferenceResolver } from '../../src/ingest/references.js';

const BASE = 'https://ehr.example.org/fhir/';

function entry(resource: FhirResource, fullUrl?: string, index = 0): RecordEntry {
  return recordEntry(resource, fullUrl, `Bundle.entry[${index}].resource`);
}

describe('parseReference (syntax only)', () => {
  it.each([
    ['Patient/p1', { kind: 'relative', type: 'Patient', id: 'p1' }],
    ['Patient/p1/_history/3', { kind: 'relative', type: 'Patient', id: 'p1', version: '3' }],
    [{ reference: 'Observation/a.b-c' }, { kind: 'relative', type: 'Observation', id: 'a.b-c' }],
    ['urn:uuid:9d2f0f0e-1c1a-4a53-9d5b-2b1a4a2a7b11', { kind: 'absolute', url: 'urn:uuid:9d2f0f0e-1c1a-4a53-9d5b-2b1a4a2a7b11' }],
    ['urn:oid:1.2.3.4', { kind: 'absolute', url: 'urn:oid:1.2.3.4' }],
    [
      `${BASE}Patient/p1/_history/2`,
      { kind: 'absolute', url: `${BASE}Patient/p1`, restful: { base: BASE, type: 'Patient', id: 'p1', version: '2' } },
    ],
    ['https://x.example/Patient/p1', { kind: 'absolute', url: 'https://x.example/Patient/p1', restful: { base: 'https://x.example/', type: 'Patient', id: 'p1' } }],
    ['https://x.example/some/page?id=1', { kind: 'absolute', url: 'https://x.example/some/page?id=1' }],
    ['#med1', { kind: 'local', id: 'med1' }],
    ['#', { kind: 'local', id: '' }],
  ])('%j', (input, expected) => {
    expect(parseReference(input)).toEqual(expected);
  });

  it('conditional references keep their query', () => {
    const parsed = parseReference('Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|123');
    expect(parsed?.kind).toBe('conditional');
    expect(parsed?.kind === 'conditional' && parsed.query.get('identifier')).toBe('http://hl7.org/fhir/sid/us-npi|123');
  });

  it.each([
    [42],
    [null],
    [undefined],
    [{}],
    [{ reference: 7 }],
    [['Patient/p1']],
    [''],
    ['patient/p1'],
    ['Patient/'],
    ['Patient/p1/extra'],
    ['Patient/has space'],
    ['Patient/' + 'x'.repeat(65)],
    ['#bad id'],
    ['ftp://x.example/Patient/1'],
    ['x'.repeat(5000)],
  ])('garbage %j gives undefined', (input) => {
    expect(parseReference(input)).toBeUndefined();
  });

  it('parseRestfulUrl needs an http(s) base', () => {
    expect(parseRestfulUrl('urn:uuid:1')).toBeUndefined();
    expect(parseRestfulUrl('Patient/1')).toBeUndefined();
    expect(parseRestfulUrl(5)).toBeUndefined();
    expect(parseRestfulUrl(`${BASE}Condition/c1`)).toEqual({ base: BASE, type: 'Condition', id: 'c1' });
  });
});

describe('createReferenceResolver', () => {
  const patient = entry({ resourceType: 'Patient', id: 'p1' }, `${BASE}Patient/p1`, 0);
  const otherServerPatient = entry({ resourceType: 'Patient', id: 'p1', gender: 'male' }, 'https://other.example/fhir/Patient/p1', 1);
  const uuidMed = entry({ resourceType: 'Medication', id: 'm1' }, 'urn:uuid:5b0b9a8e-7c52-4f5e-9f3b-0a0e0c8f0e01', 2);
  const noUrl = entry({ resourceType: 'Practitioner', id: 'dr' }, undefined, 3);
  const condition = entry(
    {
      resourceType: 'Condition',
      id: 'c1',
      subject: { reference: 'Patient/p1' },
      contained: [{ resourceType: 'Medication', id: 'local-med' }, 'garbage', { id: 'no-type' }],
    },
    `${BASE}Condition/c1`,
    4,
  );
  const uuidReferrer = entry({ resourceType: 'Observation', id: 'o1' }, 'urn:uuid:0f6f5b0e-0000-4000-8000-000000000001', 5);
  const resolver = createReferenceResolver([patient, otherServerPatient, uuidMed, noUrl, condition, uuidReferrer]);

  it('Type/id from a RESTful referrer → the entry at <base>/Type/id, not the same id on another server', () => {
    expect(resolver.resolve({ reference: 'Patient/p1' }, condition)?.entry).toBe(patient);
  });

  it('Type/id/_history/n: the version is ignored', () => {
    expect(resolver.resolve('Patient/p1/_history/9', condition)?.entry).toBe(patient);
  });

  it('Type/id from a non-RESTful referrer: two differing entries share it, so it is ambiguous', () => {
    expect(resolver.resolve('Patient/p1', uuidReferrer)).toBeUndefined();
  });

  it('Type/id tolerance: an entry with that type and id and no fullUrl', () => {
    expect(resolver.resolve('Practitioner/dr', condition)?.entry).toBe(noUrl);
    expect(resolver.resolve('Practitioner/dr', uuidReferrer)?.entry).toBe(noUrl);
    expect(resolver.resolve('Medication/m1', uuidReferrer)?.entry).toBe(uuidMed);
  });

  it('absolute URLs resolve to the entry with an equal fullUrl', () => {
    expect(resolver.resolve('urn:uuid:5b0b9a8e-7c52-4f5e-9f3b-0a0e0c8f0e01', condition)?.entry).toBe(uuidMed);
    expect(resolver.resolve(`${BASE}Patient/p1`, uuidReferrer)?.entry).toBe(patient);
    expect(resolver.resolve(`${BASE}Patient/p1/_history/4`, uuidReferrer)?.entry).toBe(patient);
    expect(resolver.resolve('https://other.example/fhir/Patient/p1', condition)?.entry).toBe(otherServerPatient);
  });

  it('an absolute URL nobody has is never fetched: undefined', () => {
    expect(resolver.resolve('https://elsewhere.example/fhir/Patient/p1', condition)).toBeUndefined();
    expect(resolver.resolve('urn:uuid:00000000-0000-4000-8000-000000000000', condition)).toBeUndefined();
    expect(resolver.resolve('urn:oid:1.2.3', condition)).toBeUndefined();
  });

  it('#id → the referrer’s contained resource, cited through its container', () => {
    const resolved = resolver.resolve('#local-med', condition);
    expect(resolved?.resource).toEqual({ resourceType: 'Medication', id: 'local-med' });
    expect(resolved?.contained).toBe(true);
    expect(resolved?.entry).toBe(condition);
    expect(resolved?.entry.ref).toBe('Condition/c1');
  });

  it('# → the container itself', () => {
    expect(resolver.resolve('#', condition)).toEqual({ resource: condition.resource, entry: condition, contained: false });
  });

  it('#id only looks in the referrer, and skips contained items that are not resources', () => {
    expect(resolver.resolve('#local-med', uuidReferrer)).toBeUndefined();
    expect(resolver.resolve('#no-type', condition)).toBeUndefined();
    expect(resolver.resolve('#missing', condition)).toBeUndefined();
  });

  it('conditional references, unknown ids and garbage: undefined, never a throw', () => {
    for (const garbage of [
      'Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|123',
      'Patient/nobody',
      42,
      null,
      { reference: { nested: true } },
      ['Patient/p1'],
      { display: 'Dr Who' },
      { identifier: { system: 's', value: 'v' } },
    ]) {
      expect(resolver.resolve(garbage, condition)).toBeUndefined();
    }
  });

  it('reference cycles do not loop: resolution is one step', () => {
    const a = entry({ resourceType: 'Observation', id: 'a', hasMember: [{ reference: 'Observation/b' }] }, undefined, 0);
    const b = entry({ resourceType: 'Observation', id: 'b', hasMember: [{ reference: 'Observation/a' }] }, undefined, 1);
    const self = entry({ resourceType: 'Observation', id: 's', hasMember: [{ reference: 'Observation/s' }], contained: [{ resourceType: 'Basic', id: 'x', subject: { reference: '#' } }] }, undefined, 2);
    const cyclic = createReferenceResolver([a, b, self]);
    expect(cyclic.resolve('Observation/b', a)?.entry).toBe(b);
    expect(cyclic.resolve('Observation/a', b)?.entry).toBe(a);
    expect(cyclic.resolve('Observation/s', self)?.entry).toBe(self);
    expect(cyclic.resolve('#', self)?.entry).toBe(self);
  });

  it('identical copies under two identities are not ambiguous', () => {
    const one = entry({ resourceType: 'Practitioner', id: 'same' }, 'urn:uuid:aa', 0);
    const two = entry({ resourceType: 'Practitioner', id: 'same' }, undefined, 1);
    expect(createReferenceResolver([one, two]).resolve('Practitioner/same', two)?.entry).toBe(one);
  });

  it('a fallback resolver answers what the entries do not', () => {
    const shared = createReferenceResolver([noUrl]);
    const own = createReferenceResolver([condition], shared);
    expect(own.resolve('Practitioner/dr', condition)?.entry).toBe(noUrl);
    expect(own.resolve('#local-med', condition)?.contained).toBe(true);
  });
});
