// The PatientRecord object itself, shared by single-patient $screen and batch grouping so
// both hand the mapping the same shape: entries in input order, a type index built once,
// and resolution over every resource the patient's data may point at.

import type { FhirResource, PatientRecord, RecordEntry } from './patient-record.js';
import type { ReferenceResolver } from './references.js';

/**
 * Evidence cites `Type/id` as the input gave it, else the fullUrl [standards "References"].
 * A resource with neither cannot be cited: its ref is empty, and whoever renders evidence
 * leaves it out.
 */
export function evidenceRef(resource: FhirResource, fullUrl: string | undefined): string {
  if (resource.id !== undefined) return `${resource.resourceType}/${resource.id}`;
  return fullUrl ?? '';
}

export function recordEntry(resource: FhirResource, fullUrl: string | undefined, path: string): RecordEntry {
  const entry: RecordEntry = { resource, ref: evidenceRef(resource, fullUrl), path };
  if (fullUrl !== undefined) entry.fullUrl = fullUrl;
  return entry;
}

export function assemblePatientRecord(
  patient: RecordEntry,
  entries: RecordEntry[],
  resolver: ReferenceResolver,
): PatientRecord {
  const byType = new Map<string, RecordEntry[]>();
  for (const entry of entries) {
    const list = byType.get(entry.resource.resourceType);
    if (list) list.push(entry);
    else byType.set(entry.resource.resourceType, [entry]);
  }
  return {
    patient,
    patientId: patient.resource.id ?? patient.fullUrl!,
    entries,
    byType,
    resolve: (reference, from) => resolver.resolve(reference, from)?.resource,
  };
}
