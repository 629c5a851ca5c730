// POST /ResearchStudy/{study}/$screen: one Bundle or Parameters in, one stored ResearchSubject
// out; or, with Content-Type application/fhir+ndjson, a stream of both. Registered by
// screen-routes.ts, whose NDJSON parser it shares with the type-level $screen.

import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { studyAccess, studyForCaller } from '../auth/study-access.js';
import { ScreenQuery, StudyParams } from '../schemas/queries.js';
import { FHIR_NDJSON, sendFhir } from './fhir-reply.js';
import { JSON_MEDIA_TYPES } from './json-body-parser.js';
import { findStudy } from './research-study-routes.js';
import { ScreenBodyThreads, type ScreenedBody } from './screen-body-threads.js';
import { checkScreenQuery, NDJSON_BODY, SCREEN_BODY, SCREEN_ERRORS } from './screen-schemas.js';
import { screenAndStore, storeScreened } from './screen-one.js';
import { screenNdjson } from './screen-ndjson.js';
import { todayUtc } from './today-utc.js';

const SCREEN_PARAMETERS = new Set(Object.keys(ScreenQuery.properties));

export const screenRoute: FastifyPluginAsyncTypebox = async (app) => {
  // A JSON body is screened on a screening thread when one is ready (screen-body-threads.ts);
  // the route's schema then checks what the thread read of it, its resourceType, and the
  // handler stores the thread's result. Anything else is parsed here, as the app parses JSON.
  const threads = new ScreenBodyThreads(app.config.limits.screenThreads, {
    mappingsDir: app.config.mappingsDir,
    canonicalBase: app.config.canonicalBase,
    maxEntries: app.config.maxEntries,
  });
  app.addHook('onClose', () => threads.close());
  /** The request's deadline, from when its body began to be read; and its body's screening, when a thread did it. */
  const started = new WeakMap<object, { deadline: number; screened?: ScreenedBody }>();
  const parseHere = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(JSON_MEDIA_TYPES);
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'buffer' }, (request, bytes, done) => {
    const deadline = Date.now() + app.config.limits.screenTimeoutMs;
    const here = (): void => {
      started.set(request, { deadline });
      parseHere(request, bytes.toString('utf8'), done);
    };
    const study = app.studies.get((request.params as { study?: string }).study ?? '');
    if (!study || !Buffer.isBuffer(bytes)) return here();
    threads
      .screen({
        studyId: study.mapping.id,
        contentHash: study.mapping.contentHash,
        bytes,
        queryAsOf: (request.query as { asOf?: unknown }).asOf,
        today: todayUtc(),
        deadline,
      })
      .then((screened) => {
        if (!screened) return here();
        request.log.debug('screen body screened on a worker thread');
        started.set(request, { deadline, screened });
        done(null, { resourceType: screened.resourceType });
      }, here);
  });

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
        body: SCREEN_BODY,
        response: {
          200: {
            description: 'The ResearchSubject (JSON), or one resource per line (NDJSON)',
            content: {
              'application/fhir+json': { schema: Type.Ref('ResearchSubject') },
              'application/json': { schema: Type.Ref('ResearchSubject') },
              [FHIR_NDJSON]: { schema: NDJSON_BODY },
            },
          },
          ...SCREEN_ERRORS,
        },
      },
      // The study and the query are checked before the body is read: a study outside the
      // caller's write scopes is 403 and an unknown one 404 whatever is sent, and a misspelt
      // parameter (asof) is a 400, never a silent default.
      onRequest: async (request) => {
        studyForCaller(app.studies, studyAccess(request.principal, 'write'), (request.params as { study: string }).study);
        checkScreenQuery(request.query as object, SCREEN_PARAMETERS);
      },
    },
    async (request, reply) => {
      const studies = [findStudy(app.studies, request.params.study)];
      const body = started.get(request);
      const context = {
        config: app.config,
        store: app.store,
        queryAsOf: request.query.asOf,
        today: todayUtc(),
        deadline: body?.deadline ?? Date.now() + app.config.limits.screenTimeoutMs,
      };
      if (request.mediaType === FHIR_NDJSON) {
        return screenNdjson(request.body as Readable, context, async (line, c) => (await screenAndStore(line, studies, c))[0], request.log, reply);
      }
      const answers = body?.screened
        ? await storeScreened([body.screened.subject], body.screened.asOf, context)
        : await screenAndStore(request.body, studies, context);
      return sendFhir(reply, 200, answers[0]);
    },
  );
};
