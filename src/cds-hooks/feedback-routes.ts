// POST /cds-services/{id}/feedback [Feedback]: stores each item against the card (and through
// it the ResearchSubject and its study); all or nothing, idempotent for repeats, 200 with an
// empty body; a card this service did not issue is 404. userComment is neither stored nor logged.
// GET /cds-services/{id}/feedback-summary: per criterion of the study, how many cards flagged it
// and how often the clinician overrode them, with the override reasons, so a study team sees
// which rules mislead. A card counts for its own study whichever service issued it, so
// trials-prescreen's cards count in each study's summary; trials-prescreen's summary is those
// per-study summaries, one per study the caller may see (call-studies.ts).

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { JSON_MEDIA_TYPES } from '../http/json-body-parser.js';
import type { CardFeedback, CdsFeedbackStore } from '../storage/cds-feedback-store.js';
import { sendCdsJson } from './cds-reply.js';
import { studiesOfCall } from './call-studies.js';
import type { CdsGroupOptions } from './cds-routes.js';
import { CDS_ERRORS, cdsOutcome } from './route-docs.js';
import { findService } from './service-route.js';
import { serviceId, type CdsServiceStudy } from './services.js';

interface FeedbackItem {
  card: string;
  outcome: 'accepted' | 'overridden';
  outcomeTimestamp: string;
  overrideReason?: { reason?: { system?: string; code?: string; display?: string } };
}

const params = Type.Object({ id: Type.String({ description: 'the service id' }) });

function feedbackStore(app: FastifyInstance): CdsFeedbackStore {
  const store = app.store.cdsFeedback;
  if (!store) throw new OperationOutcomeError('PRESCREEN_UNAVAILABLE');
  return store;
}

function instant(value: string, index: number): string {
  const time = Date.parse(value);
  // The format check lets offsets through; the stored instant is UTC.
  if (!Number.isFinite(time)) throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: `feedback[${index}].outcomeTimestamp` });
  return new Date(time).toISOString();
}

export async function feedbackRoutes(app: FastifyInstance, options: CdsGroupOptions): Promise<void> {
  app.post(
    '/cds-services/:id/feedback',
    {
      schema: {
        summary: 'CDS Hooks feedback on cards: accepted or overridden, with the override reason',
        tags: ['CDS Hooks'],
        params,
        body: { content: Object.fromEntries(JSON_MEDIA_TYPES.map((t) => [t, { schema: Type.Ref('CdsFeedbackRequest') }])) },
        response: { 200: { description: 'Stored (empty body)' }, ...CDS_ERRORS },
      },
    },
    async (request, reply) => {
      const service = findService(options, (request.params as { id: string }).id);
      const items = (request.body as { feedback: FeedbackItem[] }).feedback;
      const feedback: CardFeedback[] = items.map((item, i) => {
        const reason = item.overrideReason?.reason;
        const out: CardFeedback = { card: item.card.toLowerCase(), outcome: item.outcome, outcomeTimestamp: instant(item.outcomeTimestamp, i) };
        if (item.outcome === 'overridden' && reason?.code) {
          out.reason = { code: reason.code, ...(reason.system ? { system: reason.system } : {}), ...(reason.display ? { display: reason.display } : {}) };
        }
        return out;
      });
      const { unknownCards } = await feedbackStore(app).addFeedback(service.id, feedback);
      if (unknownCards.length > 0) {
        const index = feedback.findIndex((f) => unknownCards.includes(f.card));
        throw new OperationOutcomeError('PRESCREEN_NOT_FOUND', { expression: `feedback[${index}].card` });
      }
      request.log.info({ items: feedback.length }, 'cds feedback stored');
      return reply.code(200).send();
    },
  );

  app.get(
    '/cds-services/:id/feedback-summary',
    {
      schema: {
        summary: 'Per criterion: cards that flagged it, and how often clinicians accepted or overrode them',
        description:
          "A study's service answers its study's summary (cards of every service about that study count); trials-prescreen " +
          'answers one such summary per study.',
        tags: ['CDS Hooks'],
        params,
        response: {
          200: {
            description: 'The summary: CdsFeedbackSummary from <study>-prescreen, CdsTrialsFeedbackSummary from trials-prescreen',
            content: { 'application/json': { schema: Type.Union([Type.Ref('CdsFeedbackSummary'), Type.Ref('CdsTrialsFeedbackSummary')]) } },
          },
          401: CDS_ERRORS[401],
          404: CDS_ERRORS[404],
          503: cdsOutcome('This store keeps no feedback'),
        },
      },
    },
    async (request, reply) => {
      const service = findService(options, (request.params as { id: string }).id);
      const studies = studiesOfCall(service, request);
      if (service.kind === 'trials') {
        const summaries = await Promise.all(studies.map((s) => studySummary(app, s)));
        return sendCdsJson(reply, 200, { service: service.id, studies: summaries });
      }
      const study = studies[0];
      if (!study) throw new OperationOutcomeError('PRESCREEN_FORBIDDEN');
      return sendCdsJson(reply, 200, await studySummary(app, study));
    },
  );
}

/** One study's summary, the same from its own service and within trials-prescreen's. */
async function studySummary(app: FastifyInstance, { study }: CdsServiceStudy) {
  const rows = new Map((await feedbackStore(app).summary(study.mapping.id)).map((r) => [r.criterion, r]));
  const criteria = study.mapping.criteria.map((c) => {
    const row = rows.get(c.id);
    const decided = (row?.accepted ?? 0) + (row?.overridden ?? 0);
    return {
      criterion: c.id,
      seed: c.seed,
      title: c.title,
      cards: row?.cards ?? 0,
      accepted: row?.accepted ?? 0,
      overridden: row?.overridden ?? 0,
      ...(decided > 0 ? { overrideRate: Math.round(((row?.overridden ?? 0) / decided) * 1000) / 1000 } : {}),
      ...(row && row.reasons.length > 0 ? { overrideReasons: row.reasons } : {}),
    };
  });
  return { service: serviceId(study.mapping.id), study: study.mapping.id, criteria };
}
