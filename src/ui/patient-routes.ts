// A patient across the studies, for the worklist page:
//   GET /app/api/patients/several-studies   patients who are candidate or potential-candidate in
//                                           two or more studies, newest first, paged by patient,
//                                           each with its result and latest decision per study
//   GET /app/api/patients/results?patient=  one patient's result in every study, side by side
// Only the studies the caller may see (visible-studies.ts) count, show, or may be named.

import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import { outcome } from '../http/route-schemas.js';
import { MAX_PAGE } from '../schemas/queries.js';
import type { StoredDecision } from '../storage/decision-store.js';
import type { StoredSubject } from '../storage/store.js';
import { sendJson } from './ui-reply.js';
import { PatientResultsQuery, SeveralStudiesQuery } from './ui-schemas.js';
import { visibleStudies, visibleStudy } from './visible-studies.js';

const DEFAULT_COUNT = 20;
const PATIENT = /^(?:Patient\/)?([A-Za-z0-9\-.]{1,64})$/;

const json = (description: string) => ({
  description,
  content: { 'application/json': { schema: Type.Object({}, { additionalProperties: true }) } },
});

/** `Patient/<id>` from `Patient/<id>` or `<id>`; anything else is a 400. */
function patientRef(value: string): string {
  const match = PATIENT.exec(value.trim());
  if (!match) throw new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: 'Parameter: patient.' });
  return `Patient/${match[1]}`;
}

export async function patientRoutes(app: FastifyInstance): Promise<void> {
  /** The latest decision of each subject, by subject id (an empty map when the store keeps none). */
  async function latestDecisions(subjects: readonly StoredSubject[]): Promise<Map<string, StoredDecision>> {
    const decisions = app.store.decisions && subjects.length > 0 ? await app.store.decisions.latest(subjects.map((s) => s.id)) : [];
    return new Map(decisions.map((d) => [d.subjectId, d]));
  }

  app.get(
    '/app/api/patients/several-studies',
    {
      schema: {
        summary: 'Patients who are candidate or potential-candidate in two or more studies, with every study result and its latest decision',
        tags: ['Worklist'],
        querystring: SeveralStudiesQuery,
        response: { 200: json('A page of patients'), 400: outcome('Bad paging'), 404: outcome('Unknown study') },
      },
    },
    async (request, reply) => {
      const q = request.query as { study?: string; _count?: number; _offset?: number };
      const search = app.store.searchSeveralStudies?.bind(app.store);
      if (!search) throw new OperationOutcomeError('PRESCREEN_UNAVAILABLE');
      const studies = [...visibleStudies(request).keys()];
      const count = Math.min(q._count ?? DEFAULT_COUNT, MAX_PAGE);
      const offset = q._offset ?? 0;
      const query = { studies, count, offset, ...(q.study !== undefined ? { study: visibleStudy(request, q.study).mapping.id } : {}) };
      const { total, items } = await search(query);
      const decisions = await latestDecisions(items.flatMap((p) => p.subjects));
      return sendJson(reply, 200, {
        total,
        count,
        offset,
        ...(offset + count < total && count > 0 ? { next: offset + count } : {}),
        ...(offset > 0 && count > 0 ? { previous: Math.max(0, offset - count) } : {}),
        patients: items.map((p) => ({
          patient: p.patientRef,
          subjects: p.subjects.map((s) => s.resource),
          decisions: p.subjects.flatMap((s) => decisions.get(s.id) ?? []),
        })),
      });
    },
  );

  app.get(
    '/app/api/patients/results',
    {
      schema: {
        summary: "One patient's stored result in every study, side by side",
        tags: ['Worklist'],
        querystring: PatientResultsQuery,
        response: { 200: json("The patient's results, in the service's study order"), 400: outcome('Bad patient reference') },
      },
    },
    async (request, reply) => {
      const patient = patientRef((request.query as { patient: string }).patient);
      const visible = visibleStudies(request);
      const { items } = await app.store.searchSubjects({ patient, studies: [...visible.keys()], count: MAX_PAGE, offset: 0 });
      const order = [...visible.keys()];
      const subjects = [...items].sort((a, b) => order.indexOf(a.studyId) - order.indexOf(b.studyId));
      return sendJson(reply, 200, { patient, subjects: subjects.map((s) => s.resource) });
    },
  );
}
