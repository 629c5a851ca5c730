import { describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { deepFreeze, expectOutcome } from './outcome.js';
import { bundleOf, dmCandidateBundle } from './fixtures.js';

const BASE = 'https://ehr.example.org/fhir/';
const patient = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [
    { system: 'https://ehr.example.org/identifiers/mrn', value: 'MRN-1' },
    { value: 'LOCAL-7' },
  ],
};

function withPatient(...resources: unknown[]) {
  return bundleOf([patient, ...resources]);
}

describe('buildPatientRecord: the example Bundle', () => {
  it('holds every resource, in input order, indexed by type', () => {
    const bundle = dmCandidateBundle();
    const record = buildPatientRecord(bundle);
    expect(record.patientId).toBe('example-pat');
    expect(record.patient.ref).toBe('Patient/example-pat');
    expect(record.patient.path).toBe('Bundle.entry[0].resource');
    expect(record.patient.resource).toBe(bundle.entry[0]!.resource);
    expect(record.entries.map((e) => e.resource)).toEqual(bundle.entry.map((e) => e.resource));
    expect(record.entries[1]).toMatchObject({
      ref: 'Condition/example-dx',
      fullUrl: `${BASE}Condition/example-dx`,
      path: 'Bundle.entry[1].resource',
    });
    expect(record.byType.get('Observation')).toHaveLength(16);
    expect(record.byType.get('MedicationStatement')?.map((e) => e.ref)).toEqual([
      'MedicationStatement/example-pred1',
      'MedicationStatement/example-pred2',
      'MedicationStatement/example-mtx',
    ]);
    expect(record.byType.get('Patient')).toEqual([record.patient]);
    const total = [...record.byType.values()].reduce((n, list) => n + list.length, 0);
    expect(total).toBe(record.entries.length);
  });

  it('resolves references the FHIR way', () => {
    const record = buildPatientRecord(dmCandidateBundle());
    const condition = record.byType.get('Condition')![0]!;
    expect(record.resolve(condition.resource.subject, condition)).toBe(record.patient.resource);
    expect(record.resolve('Practitioner?identifier=x|y', condition)).toBeUndefined();
    expect(record.resolve(17, condition)).toBeUndefined();
  });

  it('never mutates its input (deep-frozen input, JSON snapshot before and after)', () => {
    const bundle = deepFreeze(dmCandidateBundle());
    const before = JSON.stringify(bundle);
    const record = buildPatientRecord(bundle);
    for (const entry of record.entries) record.resolve((entry.resource as { subject?: unknown }).subject, entry);
    expect(JSON.stringify(bundle)).toBe(before);
  });

  it('never mutates its input on the way to an error either', () => {
    const bundle = dmCandidateBundle();
    bundle.entry.push({ fullUrl: `${BASE}Condition/x`, resource: { resourceType: 'Condition', id: 'x', subject: { reference: 'Patient/someone-else' } } });
    deepFreeze(bundle);
    const before = JSON.stringify(bundle);
    expectOutcome(() => buildPatientRecord(bundle), 'PRESCREEN_FOREIGN_RECORD', 'Bundle.entry[21].resource.subject');
    expect(JSON.stringify(bundle)).toBe(before);
  });
});

describe('buildPatientRecord: exactly one Patient', () => {
  it('no Patient: 422 PRESCREEN_NO_PATIENT', () => {
    const error = expectOutcome(
      () => buildPatientRecord(bundleOf([{ resourceType: 'Condition', id: 'c' }])),
      'PRESCREEN_NO_PATIENT',
      'Bundle.entry',
    );
    expect(error.status).toBe(422);
    expect(error.issue).toBe('business-rule');
    expectOutcome(() => buildPatientRecord({ resourceType: 'Bundle', type: 'collection' }), 'PRESCREEN_NO_PATIENT', 'Bundle.entry');
  });

  it('a Patient only inside a nested Bundle or a contained[] does not count', () => {
    const nested = { resourceType: 'Bundle', type: 'collection', entry: [{ resource: patient }] };
    expectOutcome(() => buildPatientRecord(bundleOf([nested])), 'PRESCREEN_NO_PATIENT', 'Bundle.entry');
    const container = { resourceType: 'Condition', id: 'c', contained: [patient], subject: { reference: '#p1' } };
    expectOutcome(() => buildPatientRecord(bundleOf([container])), 'PRESCREEN_NO_PATIENT', 'Bundle.entry');
  });

  it('two different Patients: 422 PRESCREEN_MULTIPLE_PATIENTS on the second', () => {
    const error = expectOutcome(
      () => buildPatientRecord(withPatient({ resourceType: 'Condition', id: 'c' }, { resourceType: 'Patient', id: 'p2' })),
      'PRESCREEN_MULTIPLE_PATIENTS',
      'Bundle.entry[2].resource',
    );
    expect(error.status).toBe(422);
  });

  it('the same Patient under two identities (with and without fullUrl) is one patient', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: `${BASE}Patient/p1`, resource: patient },
        { resource: structuredClone(patient) },
        { fullUrl: `${BASE}Condition/c`, resource: { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p1' } } },
      ],
    };
    const record = buildPatientRecord(bundle);
    expect(record.patient.path).toBe('Bundle.entry[0].resource');
    expect(record.entries.map((e) => e.path)).toEqual(['Bundle.entry[0].resource', 'Bundle.entry[2].resource']);
  });

  it('a Patient with no id is known by its fullUrl', () => {
    const record = buildPatientRecord({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:11111111-1111-4111-8111-111111111111', resource: { resourceType: 'Patient' } },
        { resource: { resourceType: 'Condition', subject: { reference: 'urn:uuid:11111111-1111-4111-8111-111111111111' } } },
      ],
    });
    expect(record.patientId).toBe('urn:uuid:11111111-1111-4111-8111-111111111111');
    expect(record.patient.ref).toBe('urn:uuid:11111111-1111-4111-8111-111111111111');
    // Neither id nor fullUrl: it cannot be cited as evidence.
    expect(record.entries[1]!.ref).toBe('');
  });

  it('a Patient with neither id nor fullUrl: 422 PRESCREEN_PATIENT_UNIDENTIFIED', () => {
    expectOutcome(() => buildPatientRecord(bundleOf([{ resourceType: 'Patient', gender: 'female' }])), 'PRESCREEN_PATIENT_UNIDENTIFIED', 'Bundle.entry[0].resource');
  });
});

describe('buildPatientRecord: every compartment reference names THE Patient', () => {
  const uuid = 'urn:uuid:22222222-2222-4222-8222-222222222222';

  it.each([
    ['relative Patient/<id>', { reference: 'Patient/p1' }],
    ['relative with a version', { reference: 'Patient/p1/_history/2' }],
    ['an identifier with system', { identifier: { system: 'https://ehr.example.org/identifiers/mrn', value: 'MRN-1' } }],
    ['an identifier without system', { identifier: { value: 'MRN-1' } }],
    ['a conditional reference on the identifier', { reference: 'Patient?identifier=https://ehr.example.org/identifiers/mrn|MRN-1' }],
    ['a conditional reference on a system-less identifier', { reference: 'Patient?identifier=|LOCAL-7' }],
    ['a conditional reference on the value alone', { reference: 'Patient?identifier=MRN-1' }],
  ])('accepts %s', (_desc, subject) => {
    const record = buildPatientRecord(withPatient({ resourceType: 'Observation', id: 'o', subject }));
    expect(record.byType.get('Observation')).toHaveLength(1);
  });

  it('accepts a reference that resolves by fullUrl (urn:uuid, transaction style)', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: uuid, resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } },
        { resource: { resourceType: 'AllergyIntolerance', patient: { reference: uuid } }, request: { method: 'POST', url: 'AllergyIntolerance' } },
      ],
    };
    expect(buildPatientRecord(bundle).entries).toHaveLength(2);
  });

  it.each([
    ['Condition', 'subject'],
    ['Observation', 'subject'],
    ['Procedure', 'subject'],
    ['Encounter', 'subject'],
    ['DiagnosticReport', 'subject'],
    ['MedicationStatement', 'subject'],
    ['MedicationRequest', 'subject'],
    ['MedicationAdministration', 'subject'],
    ['MedicationDispense', 'subject'],
    ['ServiceRequest', 'subject'],
    ['CarePlan', 'subject'],
    ['AllergyIntolerance', 'patient'],
    ['Immunization', 'patient'],
    ['FamilyMemberHistory', 'patient'],
  ])('%s.%s naming another patient: 422 PRESCREEN_FOREIGN_RECORD', (resourceType, element) => {
    const error = expectOutcome(
      () => buildPatientRecord(withPatient({ resourceType: 'Medication', id: 'm' }, { resourceType, id: 'x', [element]: { reference: 'Patient/p2' } })),
      'PRESCREEN_FOREIGN_RECORD',
      `Bundle.entry[2].resource.${element}`,
    );
    expect(error.status).toBe(422);
    expect(error.issue).toBe('business-rule');
  });

  it.each([
    ['an absolute URL naming its id, when the Patient has no fullUrl', { reference: `${BASE}Patient/p1` }],
    ['an unresolved urn:uuid', { reference: uuid }],
    ['an unresolved urn:uuid declared a Patient', { reference: uuid, type: 'Patient' }],
    ['a contained Patient', { reference: '#someone' }],
    ['a missing contained resource', { reference: '#nobody' }],
    ['another identifier', { identifier: { system: 'https://ehr.example.org/identifiers/mrn', value: 'MRN-2' } }],
    ['the right value in another system', { identifier: { system: 'https://other.example/mrn', value: 'MRN-1' } }],
    ['an identifier that is garbage', { identifier: 'MRN-1' }],
    ['a conditional reference on another identifier', { reference: 'Patient?identifier=https://ehr.example.org/identifiers/mrn|MRN-2' }],
    ['a conditional reference on something else', { reference: 'Patient?name=Alvarez' }],
    ['a reference that is a number', { reference: 42 }],
    ['a reference that is unreadable', { reference: 'not a reference' }],
    ['a subject that is a string', 'Patient/p1'],
    ['a subject that is a number', 7],
    ['a subject that is an array', [{ reference: 'Patient/p1' }]],
  ])('rejects %s: PRESCREEN_FOREIGN_RECORD', (_desc, subject) => {
    const observation = {
      resourceType: 'Observation',
      id: 'o',
      contained: [{ resourceType: 'Patient', id: 'someone' }],
      subject,
    };
    expectOutcome(() => buildPatientRecord(withPatient(observation)), 'PRESCREEN_FOREIGN_RECORD', 'Bundle.entry[1].resource.subject');
  });

  it('a RESTful referrer naming Patient/<id> on its own server, where another Patient entry sits, is foreign', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://a.example/fhir/Patient/p1', resource: patient },
        { fullUrl: 'https://b.example/fhir/Condition/c', resource: { resourceType: 'Condition', id: 'c', subject: { reference: 'https://b.example/fhir/Patient/p9' } } },
      ],
    };
    expectOutcome(() => buildPatientRecord(bundle), 'PRESCREEN_FOREIGN_RECORD', 'Bundle.entry[1].resource.subject');
  });

  // `Patient/<id>` and the Patient's fullUrl are answered without resolving (patient-compartment
  // referencesToPatient), but only where resolution could not find anything else.
  it('Patient/<id> from a server where a non-Patient entry answers to <base>Patient/<id> names that entry, not the Patient', () => {
    const decoy = { resourceType: 'Device', id: 'd' };
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://a.example/fhir/Patient/p1', resource: patient },
        { fullUrl: 'https://b.example/fhir/Patient/p1', resource: decoy },
        { fullUrl: 'https://b.example/fhir/Observation/o', resource: { resourceType: 'Observation', id: 'o', subject: { reference: 'Patient/p1' } } },
        { fullUrl: 'https://a.example/fhir/Observation/k', resource: { resourceType: 'Observation', id: 'k', subject: { reference: 'Patient/p1' } } },
      ],
    };
    const record = buildPatientRecord(bundle);
    expect(record.byType.get('Observation')?.map((e) => e.ref)).toEqual(['Observation/k']);
  });

  it('Patient/<id> and the Patient fullUrl from servers with no such entry name the Patient', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { fullUrl: 'https://a.example/fhir/Patient/p1', resource: patient },
        { fullUrl: 'https://b.example/fhir/Observation/o', resource: { resourceType: 'Observation', id: 'o', subject: { reference: 'Patient/p1' } } },
        { resource: { resourceType: 'Observation', id: 'n', subject: { reference: 'Patient/p1' } } },
        { fullUrl: 'urn:uuid:33333333-3333-4333-8333-333333333333', resource: { resourceType: 'Observation', id: 'u', subject: { reference: 'https://a.example/fhir/Patient/p1' } } },
      ],
    };
    const record = buildPatientRecord(bundle);
    expect(record.byType.get('Observation')?.map((e) => e.ref)).toEqual(['Observation/o', 'Observation/n', 'Observation/u']);
  });

  it('keeps a compartment resource with no subject, or only a display (decision: most plausibly the patient’s)', () => {
    const record = buildPatientRecord(
      withPatient({ resourceType: 'Condition', id: 'a' }, { resourceType: 'Condition', id: 'b', subject: { display: 'Maria' } }),
    );
    expect(record.byType.get('Condition')?.map((e) => e.ref)).toEqual(['Condition/a', 'Condition/b']);
  });

  it('leaves out a resource whose subject is not a Patient (a Group, a Device, a Location)', () => {
    const record = buildPatientRecord(
      withPatient(
        { resourceType: 'Group', id: 'g' },
        { resourceType: 'Observation', id: 'o1', subject: { reference: 'Group/g' } },
        { resourceType: 'Observation', id: 'o2', subject: { reference: 'Device/d' } },
        { resourceType: 'Observation', id: 'o3', subject: { reference: 'https://ehr.example.org/fhir/Location/l' } },
        { resourceType: 'Observation', id: 'o4', subject: { type: 'Group', identifier: { value: 'cohort-1' } } },
        { resourceType: 'Observation', id: 'o5', subject: { reference: 'urn:uuid:33333333-3333-4333-8333-333333333333', type: 'Device' } },
        { resourceType: 'Observation', id: 'o6', subject: { reference: 'Patient/p1' } },
      ),
    );
    expect(record.byType.get('Observation')?.map((e) => e.ref)).toEqual(['Observation/o6']);
    expect(record.byType.get('Group')?.map((e) => e.ref)).toEqual(['Group/g']);
  });

  it('keeps resources outside the compartment (Medication, Practitioner) and resolves into them', () => {
    const record = buildPatientRecord(
      withPatient(
        { resourceType: 'Medication', id: 'm' },
        { resourceType: 'MedicationRequest', id: 'r', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/m' } },
      ),
    );
    const request = record.byType.get('MedicationRequest')![0]!;
    expect(record.resolve(request.resource.medicationReference, request)).toEqual({ resourceType: 'Medication', id: 'm' });
  });

  it('contained resources resolve through their container, and are cited by it', () => {
    const record = buildPatientRecord(
      withPatient({
        resourceType: 'MedicationStatement',
        id: 's',
        contained: [{ resourceType: 'Medication', id: 'med', code: { text: 'prednisone' } }],
        medicationReference: { reference: '#med' },
        subject: { reference: 'Patient/p1' },
      }),
    );
    const statement = record.byType.get('MedicationStatement')![0]!;
    expect(record.resolve({ reference: '#med' }, statement)).toMatchObject({ id: 'med' });
    expect(record.byType.get('Medication')).toBeUndefined();
    expect(statement.ref).toBe('MedicationStatement/s');
  });

  it('a resource without id is cited by its fullUrl', () => {
    const record = buildPatientRecord({
      resourceType: 'Bundle',
      entry: [{ resource: patient }, { fullUrl: 'urn:uuid:44444444-4444-4444-8444-444444444444', resource: { resourceType: 'Condition', subject: { reference: 'Patient/p1' } } }],
    });
    expect(record.entries[1]!.ref).toBe('urn:uuid:44444444-4444-4444-8444-444444444444');
  });

  it('errors name the element inside Parameters when told where the Bundle sits', () => {
    expectOutcome(
      () => buildPatientRecord(withPatient({ resourceType: 'Condition', id: 'x', subject: { reference: 'Patient/p2' } }), { rootPath: 'Parameters.parameter[0].resource' }),
      'PRESCREEN_FOREIGN_RECORD',
      'Parameters.parameter[0].resource.entry[1].resource.subject',
    );
  });
});

describe('buildPatientRecord: Bundle rules apply', () => {
  it('history: the deleted Condition is not in the record', () => {
    const record = buildPatientRecord({
      resourceType: 'Bundle',
      type: 'history',
      entry: [
        { request: { method: 'DELETE', url: 'Condition/c' } },
        { resource: patient, request: { method: 'PUT', url: 'Patient/p1' } },
        { resource: { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p1' } }, request: { method: 'PUT', url: 'Condition/c' } },
      ],
    });
    expect(record.entries.map((e) => e.ref)).toEqual(['Patient/p1']);
  });

  it('searchset: the outcome entry is not in the record', () => {
    const record = buildPatientRecord({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: patient, search: { mode: 'match' } },
        { resource: { resourceType: 'OperationOutcome', id: 'oo', issue: [] }, search: { mode: 'outcome' } },
      ],
    });
    expect(record.entries.map((e) => e.ref)).toEqual(['Patient/p1']);
  });

  it('conflicting duplicates: 422; identical ones collapse', () => {
    const condition = { resourceType: 'Condition', id: 'c', subject: { reference: 'Patient/p1' } };
    expect(buildPatientRecord(withPatient(condition, structuredClone(condition))).entries).toHaveLength(2);
    expectOutcome(
      () => buildPatientRecord(withPatient(condition, { ...condition, note: [{ text: 'differs' }] })),
      'PRESCREEN_CONFLICTING_DUPLICATE',
      'Bundle.entry[2]',
    );
  });

  it('maxEntries is a parameter (default 20000)', () => {
    const bundle = withPatient({ resourceType: 'Condition', id: 'c' });
    expectOutcome(() => buildPatientRecord(bundle, { maxEntries: 1 }), 'PRESCREEN_TOO_MANY_ENTRIES', 'Bundle.entry');
    const many = bundleOf([patient, ...Array.from({ length: 20_000 }, (_, i) => ({ resourceType: 'Basic', id: `b${i}` }))]);
    expectOutcome(() => buildPatientRecord(many), 'PRESCREEN_TOO_MANY_ENTRIES', 'Bundle.entry');
  });

  it('a 100,000-entry Bundle: PRESCREEN_TOO_MANY_ENTRIES', () => {
    const many = bundleOf([patient, ...Array.from({ length: 100_000 }, (_, i) => ({ resourceType: 'Observation', id: `o${i}`, subject: { reference: 'Patient/p1' } }))]);
    expectOutcome(() => buildPatientRecord(many), 'PRESCREEN_TOO_MANY_ENTRIES', 'Bundle.entry');
  });

  it('deep nesting in a resource: kept as it is, not a stack overflow (max-depth.ts)', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    const record = buildPatientRecord(withPatient({ resourceType: 'Observation', id: 'o', subject: { reference: 'Patient/p1' }, extension: deep }));
    expect(record.entries.map((e) => e.ref)).toContain('Observation/o');
  });

  it('not a Bundle: PRESCREEN_NOT_BUNDLE', () => {
    expectOutcome(() => buildPatientRecord(patient), 'PRESCREEN_NOT_BUNDLE');
    expectOutcome(() => buildPatientRecord('{"resourceType":"Bundle"}'), 'PRESCREEN_NOT_BUNDLE');
  });
});
