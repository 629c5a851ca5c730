// POST /ResearchStudy/{study}/$screen: one Bundle or Parameters in, one stored ResearchSubject
// out; or, with Content-Type application/fhir+ndjson, a stream of both. Encapsulated, so the
// NDJSON parser exists only on this route.

import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { studyAccess, studyForCaller } from '../auth/study-access.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { ScreenQuery, StudyParams } from '../schemas/queries.js';
import { FHIR_NDJSON, sendFhir } from './fhir-reply.js';
import { JSON_MEDIA_TYPES } from './json-body-parser.js';
import { findStudy } from './research-study-routes.js';
import { COMMON_ERRORS, FORBIDDEN_STUDY, fhirContent, outcome } from './route-schemas.js';
import { screenAndStore } from './screen-one.js';
import { screenNdjson } from './screen-ndjson.js';
import { todayUtc } from './today-utc.js';

const NDJSON_DESCRIPTION = 'One Bundle per line (UTF-8, LF or CRLF, blank lines skipped)';
const NDJSON_BODY = Type.String({ description: NDJSON_DESCRIPTION });

const SCREEN_PARAMETERS = new Set(Object.keys(ScreenQuery.properties));

/** Rejects a query parameter $screen does not take; the message lists those it does (never echoing input). */
function checkScreenQuery(query: object): void {
  for (const name of Object.keys(query)) {
    if (SCREEN_PARAMETERS.has(name)) continue;
    const hint = [...SCREEN_PARAMETERS].find((known) => known.toLowerCase() === name.toLowerCase());
    throw new OperationOutcomeError(
      'PRESCREEN_UNKNOWN_PARAMETER',
      hint === undefined ? {} : { detail: `Parameter names are case-sensitive: did you mean ${hint}?` },
    );
  }
}

export const screenRoute: FastifyPluginAsyncTypebox = async (app) => {
  // The raw stream goes to the handler, which reads one line at a time: a batch is never
  // buffered whole, and fastify's bodyLimit applies per line instead.
  app.addContentTypeParser(FHIR_NDJSON, (_request, payload, done) => done(null, payload));

  app.post(
    '/ResearchStudy/:study/$screen',
    {
      schema: {
        summary: 'Screen one patient (Bundle or Parameters), or many (NDJSON, one Bundle per line)',
        description:
          'Returns the ResearchSubject, stored before answering: it replaces the stored result for the same study and patient ' +
          'unless that one is for a later asOf, which the worklist keeps (the answer is still this screening). asOf is at most tomorrow (UTC); ' +
          'the query takes asOf and _format only. With application/fhir+ndjson the answer streams one ResearchSubject or OperationOutcome per input line, in order.',
        tags: ['FHIR'],
        params: StudyParams,
        querystring: ScreenQuery,
        body: {
          content: {
            ...Object.fromEntries(JSON_MEDIA_TYPES.map((t) => [t, { schema: Type.Ref('ScreenBody') }])),
            // Not validated as a whole: each line is checked as it is read.
            [FHIR_NDJSON]: { schema: { description: NDJSON_DESCRIPTION } },
          },
        },
        response: {
          200: {
            description: 'The ResearchSubject (JSON), or one resource per line (NDJSON)',
            content: {
              'application/fhir+json': { schema: Type.Ref('ResearchSubject') },
              'application/json': { schema: Type.Ref('ResearchSubject') },
              [FHIR_NDJSON]: { schema: NDJSON_BODY },
            },
          },
          400: outcome('Not JSON (invalid); not a Bundle/Parameters or bad Parameters (structure); bad or later than tomorrow asOf (value); unknown query parameter (not-supported)'),
          403: FORBIDDEN_STUDY,
          404: outcome('Unknown study'),
          413: outcome('Body over the limit (too-long) or too many entries (too-costly)'),
          415: outcome('Unsupported Content-Type'),
          422: outcome('No Patient, more than one patient, or conflicting duplicates (business-rule)'),
          ...COMMON_ERRORS,
        },
      },
      // The study and the query are checked before the body is read: a study outside the
      // caller's write scopes is 403 and an unknown one 404 whatever is sent, and a misspelt
      // parameter (asof) is a 400, never a silent default.
      onRequest: async (request) => {
        studyForCaller(app.studies, studyAccess(request.principal, 'write'), (request.params as { study: string }).study);
        checkScreenQuery(request.query as object);
      },
    },
    async (request, reply) => {
      const context = {
        config: app.config,
        store: app.store,
        study: findStudy(app.studies, request.params.study),
        queryAsOf: request.query.asOf,
        today: todayUtc(),
        deadline: Date.now() + app.config.limits.screenTimeoutMs,
      };
      if (request.mediaType === FHIR_NDJSON) {
        return screenNdjson(request.body as Readable, context, request.log, reply);
      }
      return sendFhir(reply, 200, await screenAndStore(request.body, context));
    },
  );
};
