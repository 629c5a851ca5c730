// Batch mode (nightly Bulk Data export, NDJSON): loose resources → one PatientRecord per
// Patient, by each resource's compartment reference [Bulk Data: files are per type, and
// resources point at their patient as `Patient/<id>`]. Everything that cannot be placed is
// reported rather than dropped in silence, so the run can say which data it did not screen.
//
// Decisions:
// - Resources of types outside the patient compartment (Medication, Practitioner,
//   Organization, …) are shared: every record can resolve references to them, but they are
//   not in any record's `entries`, so a large formulary is not copied per patient.
// - Identical copies collapse; differing copies of one `Type/id` leave their patient out of
//   `records` (reported), as single mode answers 422 for the same data.
// - Everything is held in memory; spilling to storage is the batch runner's concern.

import { parseReference } from '../fhir/references.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { assemblePatientRecord, recordEntry } from './assemble-patient-record.js';
import { isJsonObject } from './json-object.js';
import { jsonEqual } from './json-equal.js';
import { assertMaxDepth, DEFAULT_MAX_DEPTH } from './max-depth.js';
import { isUsableId } from './resource-id.js';
import { COMPARTMENT_ELEMENT } from './patient-compartment.js';
import type { FhirResource, PatientRecord, RecordEntry } from './patient-record.js';
import { createReferenceResolver } from './references.js';

export type GroupProblemReason =
  /** Not an object with a string resourceType (and a string id, if any). */
  | 'not-a-resource'
  | 'too-deep'
  /** A Patient with no id cannot be referenced, so nothing can be grouped with it. */
  | 'patient-unidentified'
  /** No compartment reference, or one we cannot read as `Patient/<id>`. */
  | 'no-patient-reference'
  /** The compartment element names a Group, a Device, …: not a patient's data. */
  | 'not-patient-data'
  /** Names `Patient/<id>`, but no such Patient was given. */
  | 'patient-absent'
  /** Two differing resources share a `Type/id`; their patient is left out of the records. */
  | 'conflicting-duplicate';

export interface GroupProblem {
  /** Position of the resource in the input. */
  index: number;
  reason: GroupProblemReason;
  /** The patient concerned, when known. */
  patientId?: string;
}

export interface PatientGroups {
  /** One record per Patient, in the order the Patients came. */
  records: PatientRecord[];
  problems: GroupProblem[];
}

export interface GroupByPatientOptions {
  maxDepth?: number;
  /** Names a resource's place in the input for RecordEntry.path; default: its type name. */
  pathOf?: (index: number, resource: FhirResource) => string;
}

interface Placed {
  index: number;
  entry: RecordEntry;
}

export function groupByPatient(resources: Iterable<unknown>, options: GroupByPatientOptions = {}): PatientGroups {
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
  const pathOf = options.pathOf ?? ((_index: number, resource: FhirResource) => resource.resourceType);
  const problems: GroupProblem[] = [];
  const copies = new Map<string, Placed[]>();
  const valid: Placed[] = [];

  let index = 0;
  for (const resource of resources) {
    const at = index++;
    const reason = invalidReason(resource, maxDepth);
    if (reason) {
      problems.push({ index: at, reason });
      continue;
    }
    const checked = resource as FhirResource;
    const placed: Placed = { index: at, entry: recordEntry(checked, undefined, pathOf(at, checked)) };
    if (checked.id === undefined) {
      valid.push(placed);
      continue;
    }
    const identity = `${checked.resourceType}/${checked.id}`;
    const list = copies.get(identity);
    if (list) list.push(placed);
    else {
      copies.set(identity, [placed]);
      valid.push(placed);
    }
  }

  // A differing copy makes every copy suspect: none is kept, each is reported.
  const conflicting: Placed[] = [];
  for (const list of copies.values()) {
    const first = list[0]!;
    if (list.some((other) => !jsonEqual(other.entry.resource, first.entry.resource))) conflicting.push(...list);
  }
  const dropped = new Set(conflicting.map((placed) => placed.entry.resource));
  const kept = valid.filter((placed) => !dropped.has(placed.entry.resource));

  const patients = new Map<string, Placed>();
  for (const placed of kept) {
    if (placed.entry.resource.resourceType !== 'Patient') continue;
    if (placed.entry.resource.id === undefined) problems.push({ index: placed.index, reason: 'patient-unidentified' });
    else patients.set(placed.entry.resource.id, placed);
  }

  const excluded = new Set<string>();
  for (const placed of conflicting) {
    const { resource } = placed.entry;
    const element = COMPARTMENT_ELEMENT.get(resource.resourceType);
    const owner =
      resource.resourceType === 'Patient' ? resource.id : element === undefined ? undefined : ownerOf(resource[element]);
    const problem: GroupProblem = { index: placed.index, reason: 'conflicting-duplicate' };
    if (typeof owner === 'string') {
      problem.patientId = owner;
      excluded.add(owner);
    }
    problems.push(problem);
  }

  const shared: RecordEntry[] = [];
  const groups = new Map<string, RecordEntry[]>();
  for (const placed of kept) {
    const { resource } = placed.entry;
    if (resource.resourceType === 'Patient') continue;
    const element = COMPARTMENT_ELEMENT.get(resource.resourceType);
    if (element === undefined) {
      shared.push(placed.entry);
      continue;
    }
    const owner = ownerOf(resource[element]);
    if (typeof owner !== 'string') {
      problems.push({ index: placed.index, reason: owner.problem });
    } else if (excluded.has(owner)) {
      // Already reported, with the patient, as a conflicting duplicate.
    } else if (!patients.has(owner)) {
      problems.push({ index: placed.index, reason: 'patient-absent', patientId: owner });
    } else {
      const group = groups.get(owner);
      if (group) group.push(placed.entry);
      else groups.set(owner, [placed.entry]);
    }
  }

  const sharedResolver = createReferenceResolver(shared);
  const records: PatientRecord[] = [];
  for (const [id, placed] of patients) {
    if (excluded.has(id)) continue;
    const entries = [placed.entry, ...(groups.get(id) ?? [])];
    records.push(assemblePatientRecord(placed.entry, entries, createReferenceResolver(entries, sharedResolver)));
  }
  problems.sort((a, b) => a.index - b.index);
  return { records, problems };
}

function invalidReason(resource: unknown, maxDepth: number): GroupProblemReason | undefined {
  if (!isJsonObject(resource) || typeof resource.resourceType !== 'string' || resource.resourceType === '') {
    return 'not-a-resource';
  }
  if (resource.id !== undefined && !isUsableId(resource.id)) return 'not-a-resource';
  try {
    assertMaxDepth(resource, maxDepth);
  } catch (error) {
    if (error instanceof OperationOutcomeError) return 'too-deep';
    throw error;
  }
  return undefined;
}

/** The Patient id a compartment element names, as `Patient/<id>` or `<base>/Patient/<id>`. */
function ownerOf(value: unknown): string | { problem: 'no-patient-reference' | 'not-patient-data' } {
  // A bare string is not a Reference; single mode rejects it too.
  if (!isJsonObject(value)) return { problem: 'no-patient-reference' };
  const parsed = parseReference(value);
  const named =
    parsed?.kind === 'relative' ? parsed : parsed?.kind === 'absolute' ? parsed.restful : undefined;
  if (!named) return { problem: 'no-patient-reference' };
  return named.type === 'Patient' ? named.id : { problem: 'not-patient-data' };
}
