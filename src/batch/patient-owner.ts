// Whose data a loose Bulk resource is: the Patient its compartment element names as
// `Patient/<id>` or `<base>/Patient/<id>`, read the way ingest's groupByPatient reads it, so the
// finder gathers exactly the resources grouping will then accept.

import { parseReference } from '../fhir/references.js';
import { isJsonObject } from '../ingest/json-object.js';
import { COMPARTMENT_ELEMENT } from '../ingest/patient-compartment.js';

export type OwnerProblem = 'no-patient-reference' | 'not-patient-data';

export function patientOwner(resource: Record<string, unknown>): string | OwnerProblem | undefined {
  const type = resource['resourceType'];
  if (type === 'Patient') return typeof resource['id'] === 'string' ? resource['id'] : 'no-patient-reference';
  const element = typeof type === 'string' ? COMPARTMENT_ELEMENT.get(type) : undefined;
  if (element === undefined) return undefined;
  const named = namedResource(resource[element]);
  if (!named) return 'no-patient-reference';
  return named.type === 'Patient' ? named.id : 'not-patient-data';
}

/** `Type/id` named by a Reference (relative, or absolute RESTful); undefined otherwise. */
export function namedResource(value: unknown): { type: string; id: string } | undefined {
  if (!isJsonObject(value)) return undefined;
  const parsed = parseReference(value);
  if (parsed?.kind === 'relative') return { type: parsed.type, id: parsed.id };
  if (parsed?.kind === 'absolute' && parsed.restful) return { type: parsed.restful.type, id: parsed.restful.id };
  return undefined;
}
