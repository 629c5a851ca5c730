// GET /ResearchStudy and GET /ResearchStudy/{study}: the studies this service screens for.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { renderResearchStudy } from '../render/research-study.js';
import { renderSearchset } from '../render/searchset.js';
import { FormatQuery, StudyParams } from '../schemas/queries.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { baseUrl } from './base-url.js';
import { sendFhir } from './fhir-reply.js';
import { COMMON_ERRORS, fhirContent, outcome } from './route-schemas.js';

/** The 404 for a study id this service does not screen, naming the ones it does. */
export function unknownStudy(studies: ReadonlyMap<string, ScreeningStudy>): OperationOutcomeError {
  const ids = [...studies.keys()];
  return new OperationOutcomeError('PRESCREEN_UNKNOWN_STUDY', { detail: `Studies screened here: ${ids.length > 0 ? ids.join(', ') : 'none'}.` });
}

export function findStudy(studies: ReadonlyMap<string, ScreeningStudy>, id: string): ScreeningStudy {
  const study = studies.get(id);
  if (!study) throw unknownStudy(studies);
  return study;
}

export const researchStudyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const canonicalBase = app.config.canonicalBase;

  app.get(
    '/ResearchStudy',
    {
      schema: {
        summary: 'The studies this service screens for (searchset)',
        tags: ['FHIR'],
        querystring: FormatQuery,
        response: { 200: fhirContent('Bundle', 'A searchset Bundle of ResearchStudy'), ...COMMON_ERRORS },
      },
    },
    async (request, reply) => {
      const base = baseUrl(request);
      const studies = [...app.studies.values()].map((s) => renderResearchStudy(s.mapping, { canonicalBase }));
      const bundle = renderSearchset(
        studies.length,
        studies.map((resource) => ({ fullUrl: `${base}/ResearchStudy/${resource.id}`, resource })),
        { self: `${base}/ResearchStudy` },
      );
      return sendFhir(reply, 200, bundle);
    },
  );

  app.get(
    '/ResearchStudy/:study',
    {
      schema: {
        summary: 'One study, its criteria in the contained Group #criteria',
        tags: ['FHIR'],
        params: StudyParams,
        querystring: FormatQuery,
        response: {
          200: fhirContent('ResearchStudy', 'The study'),
          404: outcome('Unknown study'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const study = findStudy(app.studies, request.params.study);
      return sendFhir(reply, 200, renderResearchStudy(study.mapping, { canonicalBase }));
    },
  );
};
