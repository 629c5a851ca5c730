// Single-patient mode ($screen, CDS Hooks): one Bundle → one PatientRecord. The Bundle must
// hold exactly one Patient, and every resource that names a patient must name that one;
// screening a record with someone else's data mixed in is worse than not screening it.
//
// Decisions:
// - Identical copies of the Patient under different identities (one with a fullUrl, one
//   without) are one patient; the first is the record's Patient and the copies are left out
//   of `entries` so that nothing counts twice.
// - A compartment resource with no subject (or only a display) is kept: in a Bundle sent to
//   screen one patient it is most plausibly that patient's, and dropping it would hide data.
// - One whose subject names a non-Patient (a Group, a Device, a Location) is left out: it is
//   not data about this patient.
// - The input is never written to; entries hold the caller's own objects.

import { OperationOutcomeError } from '../fhir/errors.js';
import { assemblePatientRecord } from './assemble-patient-record.js';
import { bundleEntries, type BundleEntriesOptions } from './bundle-entries.js';
import { jsonEqual } from './json-equal.js';
import { COMPARTMENT_ELEMENT, compartmentVerdict, patientIdentity, referencesToPatient } from './patient-compartment.js';
import type { PatientRecord, RecordEntry } from './patient-record.js';
import { createReferenceResolver } from './references.js';

export type BuildPatientRecordOptions = BundleEntriesOptions;

export function buildPatientRecord(bundle: unknown, options: BuildPatientRecordOptions = {}): PatientRecord {
  const root = options.rootPath ?? 'Bundle';
  const content = bundleEntries(bundle, options);
  const all: RecordEntry[] = content.entries;

  const patients = all.filter((e) => e.resource.resourceType === 'Patient');
  const patient = patients[0];
  if (!patient) throw new OperationOutcomeError('PRESCREEN_NO_PATIENT', { expression: `${root}.entry` });
  const other = patients.find((p) => !jsonEqual(p.resource, patient.resource));
  if (other) throw new OperationOutcomeError('PRESCREEN_MULTIPLE_PATIENTS', { expression: other.path });
  if (patient.resource.id === undefined && patient.fullUrl === undefined) {
    throw new OperationOutcomeError('PRESCREEN_PATIENT_UNIDENTIFIED', { expression: patient.path });
  }

  const resolver = createReferenceResolver(all, undefined, content.byFullUrl);
  const identity = patientIdentity(patients);
  const toPatient = referencesToPatient(identity, all);
  const entries: RecordEntry[] = [];
  for (const entry of all) {
    if (entry.resource.resourceType === 'Patient' && entry !== patient) continue;
    const verdict = compartmentVerdict(entry, identity, resolver, toPatient);
    if (verdict === 'foreign') {
      const element = COMPARTMENT_ELEMENT.get(entry.resource.resourceType)!;
      throw new OperationOutcomeError('PRESCREEN_FOREIGN_RECORD', { expression: `${entry.path}.${element}` });
    }
    if (verdict !== 'other') entries.push(entry);
  }
  return assemblePatientRecord(patient, entries, resolver);
}
