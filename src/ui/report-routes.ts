// What the worklist page reads besides the FHIR search:
//   GET /app/api/config                            studies with their criteria, the EHR link template
//   GET /app/api/studies/{study}/runs              nightly run history and the latest run's funnel
//   GET /app/api/studies/{study}/criterion-summary how often each rule misled: CDS card overrides
//                                                  and coordinators' screen-failures, merged

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { serviceId } from '../cds-hooks/services.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { findStudy } from '../http/research-study-routes.js';
import { outcome } from '../http/route-schemas.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { criterionSummary } from './criterion-summary.js';
import { latestFunnel, runRow } from './run-report.js';
import { sendJson } from './ui-reply.js';
import { RunsQuery, StudyParams } from './ui-schemas.js';

const DEFAULT_RUNS = 20;

const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true }) } },
});

function studyOf(app: FastifyInstance, id: string): ScreeningStudy {
  return findStudy(app.studies, id);
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/app/api/config',
    {
      schema: {
        summary: "The worklist page's settings: studies, their criteria, the EHR patient link template",
        tags: ['Worklist'],
        response: { 200: json('Settings') },
      },
    },
    async (_request, reply) =>
      sendJson(reply, 200, {
        ...(app.config.patientLinkTemplate ? { patientLinkTemplate: app.config.patientLinkTemplate } : {}),
        studies: [...app.studies.values()].map((s) => ({
          id: s.mapping.id,
          title: s.mapping.title,
          criteria: s.mapping.criteria.map((c) => ({ id: c.id, seed: c.seed, type: c.type, title: c.title })),
        })),
      }),
  );

  app.get(
    '/app/api/studies/:study/runs',
    {
      schema: {
        summary: "A study's nightly runs (date, counts, duration), newest first, and the latest run's attrition funnel",
        tags: ['Worklist'],
        params: StudyParams,
        querystring: RunsQuery,
        response: { 200: json('Runs and funnel'), 404: outcome('Unknown study') },
      },
    },
    async (request, reply) => {
      const study = studyOf(app, (request.params as { study: string }).study);
      const history = app.store.runHistory;
      if (!history) throw new OperationOutcomeError('PRESCREEN_UNAVAILABLE');
      const limit = (request.query as { limit?: number }).limit ?? DEFAULT_RUNS;
      const runs = await history.runs(study.mapping.id, limit);
      const finished = runs.filter((r) => r.status === 'complete' || r.status === 'partial');
      const funnel = latestFunnel(finished, study.mapping.criteria);
      return sendJson(reply, 200, { study: study.mapping.id, runs: runs.map(runRow), funnel: funnel ?? null });
    },
  );

  app.get(
    '/app/api/studies/:study/criterion-summary',
    {
      schema: {
        summary: 'Per criterion, how often the rule misled: CDS card overrides plus screen-failures the service had not flagged',
        tags: ['Worklist'],
        params: StudyParams,
        response: { 200: json('The merged summary'), 404: outcome('Unknown study') },
      },
    },
    async (request, reply) => {
      const study = studyOf(app, (request.params as { study: string }).study);
      const service = serviceId(study.mapping.id);
      const cds = app.store.cdsFeedback ? await app.store.cdsFeedback.summary(study.mapping.id) : [];
      const failures = app.store.decisions ? await app.store.decisions.screenFailures(study.mapping.id) : [];
      return sendJson(reply, 200, {
        study: study.mapping.id,
        cdsService: service,
        criteria: criterionSummary(study.mapping.criteria, cds, failures),
      });
    },
  );
}
