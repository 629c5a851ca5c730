// Response descriptions shared by the route groups. They document; they never serialize
// (responses are sent as strings), so they cannot drop a field.

import Type from 'typebox';

export const FHIR_JSON_TYPES = ['application/fhir+json', 'application/json'] as const;

export function fhirContent(ref: string, description: string) {
  return {
    description,
    content: Object.fromEntries(FHIR_JSON_TYPES.map((t) => [t, { schema: Type.Ref(ref) }])),
  };
}

export function outcome(description: string) {
  return fhirContent('OperationOutcome', description);
}

export const COMMON_ERRORS = {
  406: outcome('Accept names no JSON type, or _format is not json'),
  500: outcome('Unexpected error: fixed text, no input, no stack'),
};

/** A study-limited caller asked about a study outside its scopes (auth/study-access.ts). */
export const FORBIDDEN_STUDY = outcome("The caller's scopes do not cover this study (forbidden)");
