// Which element ties a resource to its patient [compartmentdefinition-patient, narrowed to
// what the study reads] and whether that element names a given Patient.

import { parseReference, type ParsedReference } from '../fhir/references.js';
import { isJsonObject } from './json-object.js';
import type { RecordEntry } from './patient-record.js';
import type { ReferenceResolver } from './references.js';

/** Resource type → the element naming its patient. */
export const COMPARTMENT_ELEMENT: ReadonlyMap<string, string> = new Map([
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
]);

/**
 * - `patient`: names the Patient;
 * - `absent`: the element is missing or carries only a display, so nothing can be checked;
 * - `other`: names something that is not a Patient (a Group, a Device, a Location);
 * - `foreign`: names, or may name, some other patient, or cannot be read at all.
 */
export type CompartmentVerdict = 'patient' | 'absent' | 'other' | 'foreign';

export interface PatientIdentity {
  /** The Patient's entry and any identical copies of it under another identity. */
  entries: ReadonlySet<RecordEntry>;
  id: string | undefined;
  fullUrl: string | undefined;
  identifiers: readonly { system?: string; value: string }[];
}

export function patientIdentity(entries: readonly RecordEntry[]): PatientIdentity {
  const patient = entries[0]!;
  const identifiers: { system?: string; value: string }[] = [];
  const given = patient.resource.identifier;
  if (Array.isArray(given)) {
    for (const identifier of given as unknown[]) {
      if (!isJsonObject(identifier) || typeof identifier.value !== 'string') continue;
      identifiers.push(
        typeof identifier.system === 'string'
          ? { system: identifier.system, value: identifier.value }
          : { value: identifier.value },
      );
    }
  }
  return { entries: new Set(entries), id: patient.resource.id, fullUrl: patient.fullUrl, identifiers };
}

/**
 * Reference texts that resolve to the Patient from every entry of `entries`, whatever the
 * referrer's fullUrl: `Patient/<id>` and the Patient's absolute fullUrl, nearly every subject of
 * a Bundle. Each is admitted only when no entry outside the Patient's copies could answer to
 * it (a fullUrl ending in `/Patient/<id>`, or equal to the Patient's), so that the resolver
 * would find the Patient, or find nothing and read the id as the Patient's. compartmentVerdict
 * then answers for them without resolving, which would cost a parse of the referrer's fullUrl.
 * At most two texts, so a list: comparing a reference with each costs less than hashing it for
 * a Set, and every compartment resource of the Bundle is checked.
 */
export function referencesToPatient(patient: PatientIdentity, entries: readonly RecordEntry[]): readonly string[] {
  const texts: string[] = [];
  if (patient.id !== undefined) {
    const relative = `Patient/${patient.id}`;
    const parsed = parseReference(relative);
    const tail = `/${relative}`;
    if (parsed?.kind === 'relative' && parsed.id === patient.id && entries.every((e) => patient.entries.has(e) || !e.fullUrl?.endsWith(tail))) {
      texts.push(relative);
    }
  }
  const fullUrl = patient.fullUrl;
  if (fullUrl !== undefined && parseReference(fullUrl)?.kind === 'absolute' && entries.every((e) => patient.entries.has(e) || e.fullUrl !== fullUrl)) {
    texts.push(fullUrl);
  }
  return texts;
}

/**
 * Does `entry`'s compartment element name the Patient? Undefined when its type has none.
 * `toPatient` (from referencesToPatient over the resolver's entries) short-cuts the common case.
 */
export function compartmentVerdict(
  entry: RecordEntry,
  patient: PatientIdentity,
  resolver: ReferenceResolver,
  toPatient: readonly string[] = [],
): CompartmentVerdict | undefined {
  const element = COMPARTMENT_ELEMENT.get(entry.resource.resourceType);
  if (element === undefined) return undefined;
  const value = entry.resource[element];
  if (value === undefined) return 'absent';
  if (!isJsonObject(value)) return 'foreign';
  if (typeof value.reference === 'string' && toPatient.includes(value.reference)) return 'patient';
  const declared = declaredType(value.type);

  if (value.reference !== undefined) {
    const resolved = resolver.resolve(value, entry);
    if (resolved) {
      if (!resolved.contained && patient.entries.has(resolved.entry)) return 'patient';
      return resolved.resource.resourceType === 'Patient' ? 'foreign' : 'other';
    }
    return unresolvedVerdict(value.reference, declared, patient);
  }
  if (value.identifier !== undefined) {
    if (declared !== undefined && declared !== 'Patient') return 'other';
    return isJsonObject(value.identifier) && identifierMatches(value.identifier.system, value.identifier.value, patient)
      ? 'patient'
      : 'foreign';
  }
  return 'absent';
}

/**
 * A reference that names no entry in the Bundle. `Patient/<id>` is the Patient when the id
 * matches (a sender may leave out fullUrls); a conditional reference is the Patient when its
 * identifier is one of the Patient's. Anything that does not say it names a non-Patient, and
 * cannot be shown to be this Patient, may be someone else.
 */
function unresolvedVerdict(reference: unknown, declared: string | undefined, patient: PatientIdentity): CompartmentVerdict {
  const parsed = parseReference(reference);
  const named = typeNamedBy(parsed) ?? declared;
  if (named !== undefined && named !== 'Patient') return 'other';
  if (!parsed) return 'foreign';
  switch (parsed.kind) {
    case 'relative':
      return parsed.id === patient.id ? 'patient' : 'foreign';
    case 'conditional':
      return conditionalMatches(parsed.query, patient) ? 'patient' : 'foreign';
    case 'absolute':
    case 'local':
      // An absolute URL names one server's resource; had it been the Patient's fullUrl it
      // would have resolved. A matching id alone could be another server's patient.
      return 'foreign';
  }
}

function conditionalMatches(query: URLSearchParams, patient: PatientIdentity): boolean {
  const keys = [...new Set(query.keys())];
  if (keys.length !== 1 || keys[0] !== 'identifier') return false;
  const tokens = query.getAll('identifier');
  return tokens.every((token) => {
    const bar = token.indexOf('|');
    if (bar < 0) return identifierMatches(undefined, token, patient);
    const system = token.slice(0, bar);
    const value = token.slice(bar + 1);
    // `|value` is the token search for an identifier without a system.
    return system === ''
      ? patient.identifiers.some((i) => i.system === undefined && i.value === value)
      : identifierMatches(system, value, patient);
  });
}

function identifierMatches(system: unknown, value: unknown, patient: PatientIdentity): boolean {
  if (typeof value !== 'string' || value === '') return false;
  if (system !== undefined && typeof system !== 'string') return false;
  return patient.identifiers.some((i) => i.value === value && (system === undefined || i.system === system));
}

function typeNamedBy(parsed: ParsedReference | undefined): string | undefined {
  if (parsed?.kind === 'relative' || parsed?.kind === 'conditional') return parsed.type;
  if (parsed?.kind === 'absolute') return parsed.restful?.type;
  return undefined;
}

/** `Reference.type` is a type name, or a StructureDefinition URL ending in one. */
function declaredType(type: unknown): string | undefined {
  if (typeof type !== 'string' || type === '') return undefined;
  return type.slice(type.lastIndexOf('/') + 1);
}
