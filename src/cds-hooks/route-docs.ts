// Response descriptions of the CDS routes, for OpenAPI only (responses are sent as strings).

import Type from 'typebox';

export function cdsOutcome(description: string) {
  return { description, content: { 'application/json': { schema: Type.Ref('OperationOutcome') } } };
}

export const CDS_ERRORS = {
  400: cdsOutcome('Malformed request (invalid), with the field in expression'),
  401: cdsOutcome('JWT missing or not valid (login), with WWW-Authenticate: Bearer; only when CDS_CLIENTS is configured'),
  403: cdsOutcome("Without CDS_CLIENTS: the caller's scopes do not cover the service's study (forbidden)"),
  404: cdsOutcome('No such service or card (not-found)'),
  415: cdsOutcome('Content-Type is not application/json'),
  500: cdsOutcome('Unexpected error: fixed text, no input, no stack'),
};
