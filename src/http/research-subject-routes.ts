// The worklist: GET /ResearchSubject (search) and GET /ResearchSubject/{id}, limited to the
// studies the caller may read (auth/study-access.ts): a search returns only those (a `study`
// outside them is 403), a read of another study's result is 403 (an unknown id stays 404).

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { forbidden, mayUse, studyAccess } from '../auth/study-access.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import type { Resource } from '../render/fhir-shapes.js';
import { renderSearchset } from '../render/searchset.js';
import { FormatQuery, IdParams, MAX_PAGE, SubjectSearchQuery } from '../schemas/queries.js';
import { SUBJECT_STATUSES } from '../screening/evaluation.js';
import type { SubjectQuery } from '../storage/store.js';
import { baseUrl } from './base-url.js';
import { sendFhir } from './fhir-reply.js';
import { COMMON_ERRORS, FORBIDDEN_STUDY, fhirContent, outcome } from './route-schemas.js';
import { pageLinks } from './search-links.js';

const DEFAULT_COUNT = 20;
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** `ge2026-01-01` or `ge2026-01-01T10:00:00Z` → an instant; a bare day starts at 00:00 UTC. */
function lastUpdatedFrom(value: string): string {
  const raw = value.slice(2);
  const instant = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? `${raw}T00:00:00Z` : raw;
  const parsed = Date.parse(instant);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(instant) || Number.isNaN(parsed)) {
    throw new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: 'Parameter: _lastUpdated.' });
  }
  return new Date(parsed).toISOString();
}

function single(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: `Parameter: ${name}.` });
  }
  return value.trim();
}

/** `candidate,potential-candidate`: each must be a status the service answers (there is no `eligible`). */
function statuses(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (list.some((s) => !(SUBJECT_STATUSES as readonly string[]).includes(s))) {
    throw new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: `Parameter: status. Valid statuses: ${SUBJECT_STATUSES.join(', ')}.` });
  }
  return list;
}

export const researchSubjectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ResearchSubject',
    {
      schema: {
        summary: 'Search stored screening results (the worklist)',
        tags: ['FHIR'],
        querystring: SubjectSearchQuery,
        response: {
          200: fhirContent('Bundle', 'A searchset Bundle, newest first, with total and paging links'),
          400: outcome('A search parameter has a bad value (value)'),
          403: FORBIDDEN_STUDY,
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const query: SubjectQuery = { count: Math.min(q._count ?? DEFAULT_COUNT, MAX_PAGE), offset: q._offset ?? 0 };
      const access = studyAccess(request.principal, 'read');
      const study = single(q.study, 'study');
      if (study !== undefined) {
        query.study = study.replace(/^ResearchStudy\//, '');
        if (!mayUse(access, query.study)) throw forbidden();
      } else if (access !== 'all') query.studies = [...access];
      const patient = single(q.patient, 'patient');
      if (patient !== undefined) query.patient = patient.includes('/') ? patient : `Patient/${patient}`;
      const status = single(q.status, 'status');
      if (status !== undefined) query.status = statuses(status);
      if (q._lastUpdated !== undefined) query.lastUpdatedFrom = lastUpdatedFrom(q._lastUpdated);
      if (q['held-by'] !== undefined) query.heldOnlyBy = q['held-by'];
      if (q.changed === true) query.changedSinceLastRun = true;

      const { total, items } = await app.store.searchSubjects(query);
      const base = baseUrl(request);
      const links = pageLinks(`${base}/ResearchSubject`, request.query as Record<string, unknown>, {
        offset: query.offset,
        count: query.count,
        total,
      });
      const entries = items.map((s) => ({
        fullUrl: `${base}/ResearchSubject/${s.id}`,
        resource: s.resource as Resource,
      }));
      return sendFhir(reply, 200, renderSearchset(total, entries, links));
    },
  );

  app.get(
    '/ResearchSubject/:id',
    {
      schema: {
        summary: 'One stored screening result',
        tags: ['FHIR'],
        params: IdParams,
        querystring: FormatQuery,
        response: {
          200: fhirContent('ResearchSubject', 'The stored ResearchSubject'),
          403: FORBIDDEN_STUDY,
          404: outcome('No such ResearchSubject'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      const stored = ID.test(id) ? await app.store.getSubject(id) : undefined;
      if (!stored) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      if (!mayUse(studyAccess(request.principal, 'read'), stored.studyId)) throw forbidden();
      return sendFhir(reply, 200, stored.resource);
    },
  );
};
