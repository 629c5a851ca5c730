// The one catalogue of errors the service answers. Domain code throws OperationOutcomeError
// with a code from here; only the HTTP layer turns it into a status and a body.

export type IssueType =
  | 'invalid'
  | 'structure'
  | 'value'
  | 'business-rule'
  | 'not-found'
  | 'too-long'
  | 'too-costly'
  | 'not-supported'
  | 'login'
  | 'forbidden'
  | 'throttled'
  | 'incomplete'
  | 'timeout'
  | 'exception';

export interface CatalogueEntry {
  status: number;
  issue: IssueType;
  text: string;
}

export const ERRORS = {
  PRESCREEN_NOT_JSON: { status: 400, issue: 'invalid', text: 'The body is not valid JSON.' },
  PRESCREEN_NOT_BUNDLE: {
    status: 400,
    issue: 'structure',
    text: 'The body must be a FHIR Bundle or a Parameters resource with a "bundle" parameter.',
  },
  PRESCREEN_BAD_PARAMETERS: { status: 400, issue: 'structure', text: 'The Parameters resource is not valid for $screen.' },
  PRESCREEN_BAD_BUNDLE: { status: 400, issue: 'structure', text: 'The Bundle is not structurally valid.' },
  PRESCREEN_BAD_ASOF: { status: 400, issue: 'value', text: 'asOf must be a date YYYY-MM-DD.' },
  PRESCREEN_ASOF_CONFLICT: {
    status: 400,
    issue: 'value',
    text: 'The asOf query parameter and the asOf Parameters value differ.',
  },
  PRESCREEN_FUTURE_ASOF: {
    status: 400,
    issue: 'value',
    text: 'asOf must not be later than tomorrow (UTC): there are no data for a later date yet.',
  },
  PRESCREEN_UNKNOWN_PARAMETER: {
    status: 400,
    issue: 'not-supported',
    text: 'Unknown query parameter; $screen takes asOf (YYYY-MM-DD) and _format.',
  },
  PRESCREEN_BAD_QUERY: { status: 400, issue: 'value', text: 'A query parameter has an invalid value.' },
  PRESCREEN_BAD_REQUEST: { status: 400, issue: 'invalid', text: 'The request is not valid.' },
  PRESCREEN_NO_PATIENT: { status: 422, issue: 'business-rule', text: 'The Bundle holds no Patient resource.' },
  PRESCREEN_MULTIPLE_PATIENTS: {
    status: 422,
    issue: 'business-rule',
    text: 'The Bundle holds more than one Patient; single-patient $screen needs exactly one.',
  },
  PRESCREEN_FOREIGN_RECORD: {
    status: 422,
    issue: 'business-rule',
    text: 'A resource in the Bundle belongs to a different patient than the Bundle\'s Patient.',
  },
  PRESCREEN_PATIENT_UNIDENTIFIED: {
    status: 422,
    issue: 'business-rule',
    text: 'The Patient has neither an id nor a fullUrl, so a result cannot name it.',
  },
  PRESCREEN_CONFLICTING_DUPLICATE: {
    status: 422,
    issue: 'business-rule',
    text: 'Two entries share an identity (fullUrl or type and id) but differ in content.',
  },
  PRESCREEN_TOO_MANY_ENTRIES: {
    status: 413,
    issue: 'too-costly',
    text: 'The Bundle has more entries than this service screens for one patient.',
  },
  PRESCREEN_LINE_TOO_LONG: { status: 413, issue: 'too-long', text: 'An NDJSON line is longer than this service accepts.' },
  PRESCREEN_TOO_MANY_LINES: {
    status: 413,
    issue: 'too-costly',
    text: 'The NDJSON body has more lines than this service screens in one request; the lines after the limit were not screened.',
  },
  PRESCREEN_TOO_DEEP: { status: 400, issue: 'structure', text: 'The body is nested too deeply.' },
  PRESCREEN_UNKNOWN_STUDY: { status: 404, issue: 'not-found', text: 'No such study is screened by this service.' },
  PRESCREEN_NOT_FOUND: { status: 404, issue: 'not-found', text: 'No such resource.' },
  PRESCREEN_ROUTE_NOT_FOUND: { status: 404, issue: 'not-found', text: 'No such endpoint.' },
  PRESCREEN_METHOD_NOT_ALLOWED: { status: 405, issue: 'not-supported', text: 'This method is not supported here.' },
  PRESCREEN_TOO_LARGE: { status: 413, issue: 'too-long', text: 'The body is larger than this service accepts.' },
  PRESCREEN_UNSUPPORTED_MEDIA: {
    status: 415,
    issue: 'not-supported',
    text: 'Unsupported Content-Type; send application/fhir+json, application/json or (for batch $screen) application/fhir+ndjson.',
  },
  PRESCREEN_NOT_ACCEPTABLE: {
    status: 406,
    issue: 'not-supported',
    text: 'This service answers only application/fhir+json or application/json.',
  },
  PRESCREEN_UNAUTHENTICATED: { status: 401, issue: 'login', text: 'Not allowed.' },
  PRESCREEN_FORBIDDEN: { status: 403, issue: 'forbidden', text: 'Not allowed.' },
  PRESCREEN_THROTTLED: { status: 429, issue: 'throttled', text: 'Too many requests; retry later.' },
  PRESCREEN_OVERLOADED: { status: 503, issue: 'throttled', text: 'The service is busy; retry later.' },
  PRESCREEN_CDS_DATA_UNAVAILABLE: {
    status: 412,
    issue: 'incomplete',
    text: 'The data needed to screen this patient could not be obtained.',
  },
  PRESCREEN_TIMEOUT: { status: 503, issue: 'timeout', text: 'The request took too long.' },
  PRESCREEN_UNAVAILABLE: { status: 503, issue: 'exception', text: 'The service is not ready.' },
  PRESCREEN_INTERNAL: { status: 500, issue: 'exception', text: 'An unexpected error occurred.' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof ERRORS;

export class OperationOutcomeError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly issue: IssueType;
  /** FHIRPath to the offending element, e.g. `Bundle.entry[2].resource`. */
  readonly expression: string | undefined;
  /** Safe extra text (never patient data). */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, options: { expression?: string; detail?: string } = {}) {
    super(ERRORS[code].text);
    this.name = 'OperationOutcomeError';
    this.code = code;
    this.status = ERRORS[code].status;
    this.issue = ERRORS[code].issue;
    this.expression = options.expression;
    this.detail = options.detail;
  }
}
