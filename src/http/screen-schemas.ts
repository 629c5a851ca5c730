// What the two $screen routes (per study, screen-route.ts; type-level, screen-every-study-route.ts)
// share outside their handlers: the body forms they take, the NDJSON description, their errors,
// and the check of their query parameters.

import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { FHIR_NDJSON } from './fhir-reply.js';
import { JSON_MEDIA_TYPES } from './json-body-parser.js';
import { COMMON_ERRORS, FORBIDDEN_STUDY, outcome } from './route-schemas.js';

const NDJSON_DESCRIPTION = 'One Bundle per line (UTF-8, LF or CRLF, blank lines skipped)';
export const NDJSON_BODY = Type.String({ description: NDJSON_DESCRIPTION });

/** A Bundle or Parameters as JSON, or one Bundle per line as NDJSON. */
export const SCREEN_BODY = {
  content: {
    ...Object.fromEntries(JSON_MEDIA_TYPES.map((t) => [t, { schema: Type.Ref('ScreenBody') }])),
    // Not validated as a whole: each line is checked as it is read.
    [FHIR_NDJSON]: { schema: { description: NDJSON_DESCRIPTION } },
  },
};

export const SCREEN_ERRORS = {
  400: outcome('Not JSON (invalid); not a Bundle/Parameters or bad Parameters (structure); bad or later than tomorrow asOf (value); unknown query parameter (not-supported)'),
  403: FORBIDDEN_STUDY,
  404: outcome('Unknown study'),
  413: outcome('Body over the limit (too-long) or too many entries (too-costly)'),
  415: outcome('Unsupported Content-Type'),
  422: outcome('No Patient, more than one patient, or conflicting duplicates (business-rule)'),
  ...COMMON_ERRORS,
};

/**
 * Rejects a query parameter the route does not take (`known`: its query schema's names); the
 * message lists those it does (never echoing input), with `note` for a route that takes more.
 */
export function checkScreenQuery(query: object, known: ReadonlySet<string>, note?: string): void {
  for (const name of Object.keys(query)) {
    if (known.has(name)) continue;
    const hint = [...known].find((k) => k.toLowerCase() === name.toLowerCase());
    const details = [...(note === undefined ? [] : [note]), ...(hint === undefined ? [] : [`Parameter names are case-sensitive: did you mean ${hint}?`])];
    throw new OperationOutcomeError('PRESCREEN_UNKNOWN_PARAMETER', details.length === 0 ? {} : { detail: details.join(' ') });
  }
}
