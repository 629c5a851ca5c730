import { describe, expect, it } from 'vitest';
import { groupByPatient } from '../../src/ingest/group-by-patient.js';
import { deepFreeze } from './outcome.js';
import { dmCandidateBundle } from './fixtures.js';

const p1 = { resourceType: 'Patient', id: 'p1' };
const p2 = { resourceType: 'Patient', id: 'p2' };
const med = { resourceType: 'Medication', id: 'm1', code: { text: 'rituximab' } };

function obs(id: string, subject: unknown) {
  return { resourceType: 'Observation', id, subject };
}

describe('groupByPatient', () => {
  it('groups loose resources into one record per Patient, in the order the Patients came', () => {
    const resources = [
      obs('o1', { reference: 'Patient/p2' }),
      p1,
      { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } },
      p2,
      { resourceType: 'AllergyIntolerance', id: 'a1', patient: { reference: 'Patient/p2' } },
      obs('o2', { reference: 'https://ehr.example.org/fhir/Patient/p1' }),
    ];
    const { records, problems } = groupByPatient(resources);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.patientId)).toEqual(['p1', 'p2']);
    expect(records[0]!.entries.map((e) => e.ref)).toEqual(['Patient/p1', 'Condition/c1', 'Observation/o2']);
    expect(records[1]!.entries.map((e) => e.ref)).toEqual(['Patient/p2', 'Observation/o1', 'AllergyIntolerance/a1']);
    expect(records[1]!.byType.get('AllergyIntolerance')?.[0]?.resource).toBe(resources[4]);
    expect(records[0]!.patient.path).toBe('Patient');
  });

  it('reads a Bundle’s worth of resources like single mode does', () => {
    const resources = dmCandidateBundle().entry.map((e) => e.resource);
    const { records, problems } = groupByPatient(resources);
    expect(problems).toEqual([]);
    expect(records).toHaveLength(1);
    expect(records[0]!.entries).toHaveLength(resources.length);
  });

  it('reports resources whose Patient is absent, and those it cannot place', () => {
    const { records, problems } = groupByPatient([
      p1,
      obs('o1', { reference: 'Patient/p9' }),
      obs('o2', undefined),
      obs('o3', { reference: 'urn:uuid:55555555-5555-4555-8555-555555555555' }),
      obs('o4', { reference: 'Group/g1' }),
      obs('o5', { identifier: { value: 'MRN-1' } }),
      obs('o6', 'Patient/p1'),
      { resourceType: 'Patient' },
    ]);
    expect(records.map((r) => r.entries.length)).toEqual([1]);
    expect(problems).toEqual([
      { index: 1, reason: 'patient-absent', patientId: 'p9' },
      { index: 2, reason: 'no-patient-reference' },
      { index: 3, reason: 'no-patient-reference' },
      { index: 4, reason: 'not-patient-data' },
      { index: 5, reason: 'no-patient-reference' },
      { index: 6, reason: 'no-patient-reference' },
      { index: 7, reason: 'patient-unidentified' },
    ]);
  });

  it('reports garbage items instead of throwing', () => {
    const deep = JSON.parse('['.repeat(100_000) + ']'.repeat(100_000));
    const { records, problems } = groupByPatient([
      'Patient/p1',
      42,
      null,
      [p1],
      { id: 'x' },
      { resourceType: 'Patient', id: 3 },
      { resourceType: 'Patient', id: 'x'.repeat(1_000_000) },
      { resourceType: 'Basic', id: 'b', extension: deep },
      p1,
    ]);
    expect(records).toHaveLength(1);
    expect(problems.map((p) => p.reason)).toEqual([
      'not-a-resource',
      'not-a-resource',
      'not-a-resource',
      'not-a-resource',
      'not-a-resource',
      'not-a-resource',
      'not-a-resource',
      'too-deep',
    ]);
  });

  it('shares non-compartment resources: every record resolves them, none lists them', () => {
    const request = (id: string, patient: string) => ({
      resourceType: 'MedicationRequest',
      id,
      subject: { reference: `Patient/${patient}` },
      medicationReference: { reference: 'Medication/m1' },
    });
    const { records } = groupByPatient([med, p1, p2, request('r1', 'p1'), request('r2', 'p2')]);
    for (const record of records) {
      const entry = record.byType.get('MedicationRequest')![0]!;
      expect(record.resolve(entry.resource.medicationReference, entry)).toBe(med);
      expect(record.byType.get('Medication')).toBeUndefined();
    }
  });

  it('does not resolve into another patient’s resources', () => {
    const { records } = groupByPatient([
      p1,
      p2,
      obs('o1', { reference: 'Patient/p1' }),
      { ...obs('o2', { reference: 'Patient/p2' }), hasMember: [{ reference: 'Observation/o1' }] },
    ]);
    const o2 = records[1]!.byType.get('Observation')![0]!;
    expect(records[1]!.resolve(o2.resource.hasMember, o2)).toBeUndefined();
    expect(records[1]!.resolve((o2.resource.hasMember as unknown[])[0], o2)).toBeUndefined();
    expect(records[1]!.resolve({ reference: 'Patient/p2' }, o2)).toBe(p2);
  });

  it('identical copies collapse; differing copies leave their patient out, reported', () => {
    const c = { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' } };
    const { records, problems } = groupByPatient([
      p1,
      p2,
      c,
      { ...c, note: [{ text: 'differs' }] },
      obs('o', { reference: 'Patient/p2' }),
      structuredClone(obs('o', { reference: 'Patient/p2' })),
    ]);
    expect(records.map((r) => r.patientId)).toEqual(['p2']);
    expect(records[0]!.entries).toHaveLength(2);
    expect(problems).toEqual([
      { index: 2, reason: 'conflicting-duplicate', patientId: 'p1' },
      { index: 3, reason: 'conflicting-duplicate', patientId: 'p1' },
    ]);
  });

  it('a conflicting Patient leaves that patient out, without also calling its data orphaned', () => {
    const { records, problems } = groupByPatient([p1, { ...p1, gender: 'male' }, obs('o', { reference: 'Patient/p1' })]);
    expect(records).toEqual([]);
    expect(problems).toEqual([
      { index: 0, reason: 'conflicting-duplicate', patientId: 'p1' },
      { index: 1, reason: 'conflicting-duplicate', patientId: 'p1' },
    ]);
  });

  it('a conflicting shared resource is dropped, so no record resolves to either copy', () => {
    const { records, problems } = groupByPatient([
      p1,
      med,
      { ...med, code: { text: 'other' } },
      { resourceType: 'MedicationStatement', id: 's', subject: { reference: 'Patient/p1' }, medicationReference: { reference: 'Medication/m1' } },
    ]);
    const statement = records[0]!.byType.get('MedicationStatement')![0]!;
    expect(records[0]!.resolve(statement.resource.medicationReference, statement)).toBeUndefined();
    expect(problems).toEqual([
      { index: 1, reason: 'conflicting-duplicate' },
      { index: 2, reason: 'conflicting-duplicate' },
    ]);
  });

  it('takes any iterable (a generator), names paths as told, and never mutates its input', () => {
    const resources = deepFreeze([p1, obs('o1', { reference: 'Patient/p1' })]);
    const before = JSON.stringify(resources);
    function* lines() {
      yield* resources;
    }
    const { records } = groupByPatient(lines(), { pathOf: (index, resource) => `line ${index + 1} (${resource.resourceType})` });
    expect(records[0]!.entries.map((e) => e.path)).toEqual(['line 1 (Patient)', 'line 2 (Observation)']);
    expect(JSON.stringify(resources)).toBe(before);
  });

  it('nothing in, nothing out', () => {
    expect(groupByPatient([])).toEqual({ records: [], problems: [] });
  });
});
