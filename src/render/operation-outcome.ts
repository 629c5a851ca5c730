// Renders an OperationOutcomeError as the body of an error response or a bad NDJSON line.
// Only catalogue text and safe detail go out: never a parser message, a stack or input.

import { ERRORS, type OperationOutcomeError } from '../fhir/errors.js';
import { errorCodeSystemUrl } from './canonical-urls.js';
import type { Coding } from './fhir-shapes.js';

export interface OperationOutcomeIssue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: string;
  details: { coding: Coding[]; text: string };
  /** Safe locating text only (an NDJSON line number), never input or a message. */
  diagnostics?: string;
  expression?: string[];
}

export interface OperationOutcomeResource {
  resourceType: 'OperationOutcome';
  issue: OperationOutcomeIssue[];
}

export function renderOperationOutcome(
  error: OperationOutcomeError,
  context: { canonicalBase: string },
): OperationOutcomeResource {
  const internal = error.status >= 500;
  // A 5xx keeps the catalogue's fixed text even if a caller attached detail to it.
  const text = !internal && error.detail ? `${ERRORS[error.code].text} ${error.detail}` : ERRORS[error.code].text;
  const issue: OperationOutcomeIssue = {
    severity: 'error',
    code: error.issue,
    details: { coding: [{ system: errorCodeSystemUrl(context.canonicalBase), code: error.code }], text },
  };
  if (error.expression && !internal) issue.expression = [error.expression];
  return { resourceType: 'OperationOutcome', issue: [issue] };
}
