// POST /ResearchStudy/$screen (type-level): one patient against every study the service holds,
// or those named by `study=a,b`. The body is read, checked and indexed once (screen-one.ts);
// the answer is a collection Bundle of one ResearchSubject per study in GET /ResearchStudy
// order, each the same resource the per-study $screen answers and stored as it stores it, all
// in one transaction: when any study fails or the deadline passes, nothing of this patient is
// stored. With Content-Type application/fhir+ndjson, one such Bundle per input line.

import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { studyAccess } from '../auth/study-access.js';
import type { Resource } from '../render/fhir-shapes.js';
import { renderCollection } from '../render/collection.js';
import { ScreenEveryStudyQuery } from '../schemas/queries.js';
import { baseUrl } from './base-url.js';
import { FHIR_NDJSON, sendFhir } from './fhir-reply.js';
import { checkScreenQuery, NDJSON_BODY, SCREEN_BODY, SCREEN_ERRORS } from './screen-schemas.js';
import { screenAndStore, type ScreenContext } from './screen-one.js';
import { screenNdjson } from './screen-ndjson.js';
import { selectStudies } from './study-selection.js';
import { todayUtc } from './today-utc.js';

const PARAMETERS = new Set(Object.keys(ScreenEveryStudyQuery.properties));
const PARAMETERS_NOTE = 'The type-level $screen also takes study (study ids, comma-separated).';

export const screenEveryStudyRoute: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/ResearchStudy/$screen',
    {
      schema: {
        summary: 'Screen one patient against every study (or those named by study=a,b), or many patients (NDJSON)',
        description:
          'The body is read once and screened for each study; the answer is a collection Bundle of one ResearchSubject per study, ' +
          'in GET /ResearchStudy order, each what POST /ResearchStudy/{study}/$screen answers for the same body and asOf, and stored as it ' +
          'stores it. The results are stored together or not at all. Same bodies, asOf rules and limits as the per-study $screen; ' +
          'with application/fhir+ndjson the answer streams one Bundle or OperationOutcome per input line, in order.',
        tags: ['FHIR'],
        querystring: ScreenEveryStudyQuery,
        body: SCREEN_BODY,
        response: {
          200: {
            description: 'A collection Bundle of ResearchSubjects (JSON), or one Bundle or OperationOutcome per line (NDJSON)',
            content: {
              'application/fhir+json': { schema: Type.Ref('Bundle') },
              'application/json': { schema: Type.Ref('Bundle') },
              [FHIR_NDJSON]: { schema: NDJSON_BODY },
            },
          },
          ...SCREEN_ERRORS,
          400: { ...SCREEN_ERRORS[400], description: `${SCREEN_ERRORS[400].description}; an empty or repeated study id (value)` },
          404: { ...SCREEN_ERRORS[404], description: 'A study in study= is not screened here; the answer lists those that are' },
        },
      },
      // The studies and the query are checked before the body is read, as the per-study route does.
      onRequest: async (request) => {
        const query = request.query as { study?: unknown };
        selectStudies(app.studies, query.study, studyAccess(request.principal, 'write'));
        checkScreenQuery(query, PARAMETERS, PARAMETERS_NOTE);
      },
    },
    async (request, reply) => {
      const studies = selectStudies(app.studies, request.query.study, studyAccess(request.principal, 'write'));
      const base = baseUrl(request);
      const screenEvery = async (body: unknown, context: ScreenContext) => {
        const subjects = await screenAndStore(body, studies, context);
        return renderCollection(subjects.map((resource) => ({ fullUrl: `${base}/ResearchSubject/${String(resource['id'])}`, resource: resource as Resource })));
      };
      const context: ScreenContext = {
        config: app.config,
        store: app.store,
        queryAsOf: request.query.asOf,
        today: todayUtc(),
        deadline: Date.now() + app.config.limits.screenTimeoutMs,
      };
      if (request.mediaType === FHIR_NDJSON) return screenNdjson(request.body as Readable, context, screenEvery, request.log, reply);
      return sendFhir(reply, 200, await screenEvery(request.body, context));
    },
  );
};
