// GET /ResearchStudy and GET /ResearchStudy/{study}: the studies this service screens for,
// those the caller's ResearchStudy scopes cover (auth/study-access.ts).

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { allowedStudies, studyAccess, studyForCaller, unknownStudyError } from '../auth/study-access.js';
import type { OperationOutcomeError } from '../fhir/errors.js';
import { renderResearchStudy } from '../render/research-study.js';
import { renderSearchset } from '../render/searchset.js';
import { FormatQuery, StudyParams } from '../schemas/queries.js';
import type { ScreeningStudy } from '../screening/study-registry.js';
import { baseUrl } from './base-url.js';
import { sendFhir } from './fhir-reply.js';
import { COMMON_ERRORS, FORBIDDEN_STUDY, fhirContent, outcome } from './route-schemas.js';

/** The 404 for a study id this service does not screen, naming the ones it does. */
export function unknownStudy(studies: ReadonlyMap<string, ScreeningStudy>): OperationOutcomeError {
  return unknownStudyError([...studies.keys()]);
}

/** The study of this id, whoever asks (a caller's own check is studyForCaller). */
export function findStudy(studies: ReadonlyMap<string, ScreeningStudy>, id: string): ScreeningStudy {
  return studyForCaller(studies, 'all', id);
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
      const allowed = allowedStudies(studyAccess(request.principal, 'read', 'ResearchStudy'), app.studies.keys());
      const studies = allowed.map((id) => renderResearchStudy(app.studies.get(id)!.mapping, { canonicalBase }));
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
          403: FORBIDDEN_STUDY,
          404: outcome('Unknown study'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const study = studyForCaller(app.studies, studyAccess(request.principal, 'read', 'ResearchStudy'), request.params.study);
      return sendFhir(reply, 200, renderResearchStudy(study.mapping, { canonicalBase }));
    },
  );
};
