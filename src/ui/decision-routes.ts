// Coordinators' decisions per worklist patient, stored against the ResearchSubject:
//   POST /app/api/subjects/{id}/decisions   record one (201); screen-failed names the criterion
//   GET  /app/api/subjects/{id}/decisions   its history, newest first
//   GET  /app/api/decisions?subject=a,b,…   the latest decision of each listed subject
// A decision belongs to one study's ResearchSubject: recording it never touches the patient's
// results in other studies. Each route keeps to the studies the caller may see (visible-studies.ts).
// The note is free text about a patient: stored, returned to the page, never logged.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { OperationOutcomeError } from '../fhir/errors.js';
import type { DecisionStore, NewDecision } from '../storage/decision-store.js';
import { outcome } from '../http/route-schemas.js';
import { sendJson } from './ui-reply.js';
import { DecisionBody, DecisionsQuery, SubjectParams } from './ui-schemas.js';
import { assertVisible, visibleStudies } from './visible-studies.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const MAX_SUBJECTS = 100;
/** Recording a decision changes what the worklist says of a ResearchSubject: a write. */
const WRITE = { auth: { resourceType: 'ResearchSubject', access: 'write' } };

const json = (description: string, schema: unknown = Type.Object({}, { additionalProperties: true })) => ({
  description,
  content: { 'application/json': { schema } },
});

function decisionsOf(app: FastifyInstance): DecisionStore {
  const store = app.store.decisions;
  if (!store) throw new OperationOutcomeError('PRESCREEN_UNAVAILABLE');
  return store;
}

/** The authenticated caller, when authentication (src/auth) has set one. */
function callerOf(request: FastifyRequest): string | undefined {
  const principal = (request as unknown as { principal?: { kind?: string; id?: string } }).principal;
  return principal && principal.kind !== 'anonymous' && typeof principal.id === 'string' ? principal.id : undefined;
}

export async function decisionRoutes(app: FastifyInstance): Promise<void> {
  app.post(
    '/app/api/subjects/:id/decisions',
    {
      config: WRITE,
      schema: {
        summary: "Record a coordinator's decision on a worklist patient",
        tags: ['Worklist'],
        params: SubjectParams,
        body: { content: { 'application/json': { schema: DecisionBody } } },
        response: {
          201: json('The stored decision', Type.Object({ decision: Type.Ref('CoordinatorDecision') })),
          400: outcome('Bad body: unknown decision, or a criterion missing, not of the study or not wanted'),
          403: outcome('A study the caller may not see'),
          404: outcome('No such ResearchSubject'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const body = request.body as { decision: NewDecision['decision']; criterion?: string; note?: string };
      const subject = ID.test(id) ? await app.store.getSubject(id) : undefined;
      if (!subject) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      assertVisible(request, subject.studyId);
      if (body.decision === 'screen-failed') {
        const criteria = app.studies.get(subject.studyId)?.mapping.criteria ?? [];
        if (body.criterion === undefined || !criteria.some((c) => c.id === body.criterion)) {
          throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: 'criterion' });
        }
      } else if (body.criterion !== undefined) {
        throw new OperationOutcomeError('PRESCREEN_BAD_REQUEST', { expression: 'criterion' });
      }
      const decision: NewDecision = { subjectId: id, decision: body.decision };
      if (body.criterion !== undefined) decision.criterionId = body.criterion;
      const note = body.note?.trim();
      if (note) decision.note = note;
      const caller = callerOf(request);
      if (caller !== undefined) decision.decidedBy = caller;
      const stored = await decisionsOf(app).record(decision);
      // The subject went away between the read and the insert.
      if (!stored) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      request.log.info({ decisionId: stored.id, decision: stored.decision }, 'coordinator decision recorded');
      return sendJson(reply, 201, { decision: stored });
    },
  );

  app.get(
    '/app/api/subjects/:id/decisions',
    {
      schema: {
        summary: "A worklist patient's decisions, newest first",
        tags: ['Worklist'],
        params: SubjectParams,
        response: {
          200: json('The decisions', Type.Object({ decisions: Type.Array(Type.Ref('CoordinatorDecision')) })),
          403: outcome('A study the caller may not see'),
          404: outcome('No such ResearchSubject'),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const subject = ID.test(id) ? await app.store.getSubject(id) : undefined;
      if (!subject) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      assertVisible(request, subject.studyId);
      return sendJson(reply, 200, { decisions: await decisionsOf(app).history(id) });
    },
  );

  app.get(
    '/app/api/decisions',
    {
      schema: {
        summary: 'The latest decision of each listed ResearchSubject (those that have one)',
        tags: ['Worklist'],
        querystring: DecisionsQuery,
        response: {
          200: json('The decisions', Type.Object({ decisions: Type.Array(Type.Ref('CoordinatorDecision')) })),
          400: outcome('Bad subject list'),
        },
      },
    },
    async (request, reply) => {
      const ids = (request.query as { subject: string }).subject.split(',').map((s) => s.trim()).filter((s) => s !== '');
      if (ids.length > MAX_SUBJECTS || ids.some((s) => !ID.test(s))) {
        throw new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: 'Parameter: subject.' });
      }
      const visible = visibleStudies(request);
      const decisions = await decisionsOf(app).latest([...new Set(ids)]);
      return sendJson(reply, 200, { decisions: decisions.filter((d) => visible.has(d.studyId)) });
    },
  );
}
