// POST /cds-services/{id} [Calling a CDS Service]: checks the call, gathers the patient's data
// (prefetch, else fhirServer), screens it as of today (UTC) through the same path as $screen for
// each study the call screens (call-studies.ts: the study of `<study>-prescreen`, every study for
// trials-prescreen) on one patient record, stores each ResearchSubject, and answers one card per
// study where the patient is a (potential-)candidate, or `cards: []`.
// In-flight calls are bounded: past CDS_MAX_IN_FLIGHT a call is shed at once with 503 and
// Retry-After, before its body is read, instead of queueing every caller behind the CPU.

import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { baseUrl } from '../http/base-url.js';
import { JSON_MEDIA_TYPES } from '../http/json-body-parser.js';
import { toStoredSubject, toStoredSubjectJson } from '../storage/stored-subject.js';
import { todayUtc } from '../http/today-utc.js';
import { renderCdsCard, type CdsCardBody } from '../render/cds-card.js';
import type { NewSubject, NewSubjectJson } from '../storage/store.js';
import { sendCdsJson, sendCdsOutcome } from './cds-reply.js';
import type { CdsGroupOptions } from './cds-routes.js';
import { studiesOfCall, templatesOf } from './call-studies.js';
import { DataUnavailableError } from './fhir-fetch.js';
import { gatherPatientData } from './prefetch.js';
import { unavailableDetail } from './unavailable-detail.js';
import { CDS_ERRORS, cdsOutcome } from './route-docs.js';
import { screenGathered } from './screen-gathered.js';
import { CdsResultWriter, type CallResult } from './result-writer.js';
import { ScreenThreads, type OffThreadScreening } from './screen-threads.js';
import { HOOK, type CdsServiceDefinition, type CdsServiceStudy } from './services.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The worker thread's screening of this call's body, set by the body parser when the body
     * was screened there. On the request, not in a WeakMap keyed by the body: V8's young GC
     * keeps a WeakMap's values alive past their key and promotes them.
     */
    cdsScreened: OffThreadScreening | null;
  }
}

interface CdsCall {
  hook: string;
  hookInstance: string;
  fhirServer?: string;
  fhirAuthorization?: { access_token: string; token_type: string };
  context: { patientId: string };
  prefetch?: Record<string, unknown>;
}

/** The worklist page's view of one result (src/ui: GET /app, `#/subject/{id}`), not its raw JSON. */
export function worklistSubjectUrl(base: string, subjectId: string): string {
  return `${base}/app#/subject/${encodeURIComponent(subjectId)}`;
}

export function findService(options: CdsGroupOptions, id: string) {
  const service = options.services.get(id);
  if (!service) throw new OperationOutcomeError('PRESCREEN_ROUTE_NOT_FOUND');
  return service;
}

export async function serviceRoute(app: FastifyInstance, options: CdsGroupOptions): Promise<void> {
  const cds = app.config.cds;
  let inFlight = 0;

  // Calls whose prefetch is complete are parsed and screened on a worker thread, from the body
  // text; the route then validates and reads the call without its prefetch (the schema leaves
  // prefetch open, so nothing it checks is skipped). Anything else is parsed here as before.
  const threads = new ScreenThreads(cds.screenThreads, {
    mappingsDir: app.config.mappingsDir,
    canonicalBase: app.config.canonicalBase,
    maxEntries: app.config.maxEntries,
  });
  app.addHook('onClose', () => threads.close());
  const writer = new CdsResultWriter(app.store);
  app.decorateRequest('cdsScreened', null);
  const parseHere = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string' }, (request, text, done) => {
    const body = typeof text === 'string' ? text : text.toString('utf8'); // parseAs: 'string'
    const service = options.services.get((request.params as { id?: string } | undefined)?.id ?? '');
    if (!service) return parseHere(request, body, done);
    const studies = studiesOfCall(service, request).map((s) => ({ id: s.study.mapping.id, contentHash: s.study.mapping.contentHash }));
    threads
      .screen({ serviceId: service.id, studies, text: body, today: todayUtc() })
      .then((screened) => {
        if (!screened) return parseHere(request, body, done);
        request.cdsScreened = screened;
        done(null, screened.envelope);
      }, () => parseHere(request, body, done));
  });

  const shed = async (request: FastifyRequest, reply: FastifyReply) => {
    if (inFlight >= cds.maxInFlight) {
      request.log.warn({ inFlight }, 'cds call shed');
      reply.header('retry-after', '1');
      return sendCdsOutcome(reply, new OperationOutcomeError('PRESCREEN_OVERLOADED'));
    }
    inFlight++;
    // 'close' fires once whether the answer was sent or the caller went away.
    reply.raw.once('close', () => {
      inFlight--;
    });
  };

  /** Gathers the call's data (prefetch, else fhirServer) and screens it on this thread, once for all its studies. */
  const screenHere = async (service: CdsServiceDefinition, studies: CdsServiceStudy[], call: CdsCall, request: FastifyRequest) => {
    let gathered;
    try {
      gathered = await gatherPatientData(
        templatesOf(service, studies),
        {
          patientId: call.context.patientId,
          prefetch: call.prefetch,
          fhirServer: call.fhirServer,
          accessToken: call.fhirAuthorization?.access_token,
        },
        {
          timeoutMs: cds.fetchTimeoutMs,
          deadlineMs: cds.fetchDeadlineMs,
          concurrency: cds.fetchConcurrency,
          maxPages: cds.fetchMaxPages,
          maxBytes: app.config.bodyLimit,
          allowlist: cds.fhirAllowlist,
          lookup: cds.hostLookup,
        },
      );
    } catch (error) {
      if (!(error instanceof DataUnavailableError)) throw error;
      request.log.warn({ reason: error.reason, upstreamStatus: error.status, key: error.key }, 'cds data unavailable');
      throw new OperationOutcomeError('PRESCREEN_CDS_DATA_UNAVAILABLE', { detail: unavailableDetail(error) });
    }
    if (gathered.requests > 0) request.log.info({ keys: gathered.fetched.length, requests: gathered.requests }, 'cds data fetched');

    return screenGathered(
      studies.map((s) => s.study),
      gathered.bundle,
      todayUtc(),
      app.config,
    );
  };

  /** Each study's evaluation and the subject to store: the thread's when it screened these studies, else screened here. */
  const screenCall = async (service: CdsServiceDefinition, studies: CdsServiceStudy[], call: CdsCall, request: FastifyRequest) => {
    const screened = request.cdsScreened;
    if (screened && screened.results.length === studies.length && screened.results.every((r, i) => r.evaluation.studyId === studies[i]!.study.mapping.id)) {
      request.log.debug('cds call screened on a worker thread');
      // Stored as the thread's JSON text: this thread never rebuilds or stringifies the resource.
      return screened.results.map((r) => ({ evaluation: r.evaluation, subject: toStoredSubjectJson(r.evaluation, r.subjectId, r.subjectJson) as NewSubject | NewSubjectJson }));
    }
    const here = await screenHere(service, studies, call, request);
    return here.map((r) => ({ evaluation: r.evaluation, subject: toStoredSubject(r.evaluation, r.resource) as NewSubject | NewSubjectJson }));
  };

  app.post(
    '/cds-services/:id',
    {
      schema: {
        summary: 'CDS Hooks patient-view: a card per study the patient may qualify for',
        description:
          'Uses the prefetch when present; a key that is absent or an OperationOutcome is fetched from fhirServer with the ' +
          'fhirAuthorization bearer token; null means no such data. Screens as of today (UTC) and stores the ResearchSubject: ' +
          '<study>-prescreen for its study, trials-prescreen for every study (one card per study the patient may qualify for).',
        tags: ['CDS Hooks'],
        params: Type.Object({ id: Type.String({ description: 'the service id, <study>-prescreen or trials-prescreen (GET /cds-services lists them)' }) }),
        body: { content: Object.fromEntries(JSON_MEDIA_TYPES.map((t) => [t, { schema: Type.Ref('CdsRequest') }])) },
        response: {
          200: { description: 'The cards', content: { 'application/json': { schema: Type.Ref('CdsResponse') } } },
          ...CDS_ERRORS,
          412: cdsOutcome(
            'The data needed could not be obtained (incomplete): no fhirServer or token, an error or a timeout. ' +
              'The text names the prefetch keys not provided and which fetch failed (host, HTTP status or kind of failure).',
          ),
          413: cdsOutcome('Body over the limit, or more entries than one patient may have'),
          422: cdsOutcome('The data names another patient, or conflicting duplicates (business-rule)'),
          503: cdsOutcome('Overloaded: retry after Retry-After seconds (throttled)'),
        },
      },
      onRequest: shed,
    },
    async (request, reply) => {
      const service = findService(options, (request.params as { id: string }).id);
      const call = request.body as CdsCall;
      if (call.hook !== HOOK) throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: 'hook' });
      if (call.fhirAuthorization !== undefined) {
        if (call.fhirServer === undefined) throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: 'fhirServer' });
        if (call.fhirAuthorization.token_type.toLowerCase() !== 'bearer') {
          throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: 'fhirAuthorization.token_type' });
        }
      }

      const studies = studiesOfCall(service, request);
      const screened = await screenCall(service, studies, call, request);
      const base = baseUrl(request);
      const results: CallResult[] = [];
      const cards: CdsCardBody[] = [];
      screened.forEach(({ evaluation, subject }, i) => {
        const { study, criteria } = studies[i]!;
        const rendered = renderCdsCard(evaluation, {
          uuid: randomUUID(),
          studyTitle: study.mapping.title,
          ...(study.mapping.acronym === undefined ? {} : { studyAcronym: study.mapping.acronym }),
          criteria,
          subjectUrl: worklistSubjectUrl(base, subject.id),
          canonicalBase: app.config.canonicalBase,
          // One "not eligible" card per trial at every patient view would bury the ones that matter.
          ineligibleCards: service.kind === 'study' && cds.ineligibleCards,
          ...(cds.smartLaunchUrl === undefined ? {} : { smartLaunch: { url: cds.smartLaunchUrl, subjectId: subject.id } }),
        });
        if (rendered) cards.push(rendered.card);
        results.push({
          subject,
          card: rendered && {
            uuid: rendered.card.uuid,
            serviceId: service.id,
            studyId: study.mapping.id,
            subjectId: subject.id,
            status: evaluation.status,
            criteria: rendered.criteria,
          },
        });
      });
      await writer.writeAll(results);
      return sendCdsJson(reply, 200, { cards });
    },
  );
}
