// The admin view of the audit trail: GET /AuditEvent (a FHIR searchset, newest first) and
// GET /AuditEvent/{id}. Needs an AuditEvent read scope when auth is on (auth/route-policy.ts).
// Its study limit (`system/AuditEvent.rs?study=a`, auth/study-access.ts) narrows it to the
// events about those studies: those whose target is the study or its CDS service. Events about
// no one study (a search across studies, an audit read, a refused credential) are for an
// auditor without a limit only. Encapsulated, with the FHIR routes' content negotiation.

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { forbidden, studyAccess, type StudyAccess } from '../auth/study-access.js';
import { serviceId } from '../cds-hooks/services.js';
import { OperationOutcomeError } from '../fhir/errors.js';
import { baseUrl } from '../http/base-url.js';
import { sendFhir } from '../http/fhir-reply.js';
import { negotiateFhirMedia } from '../http/media-negotiation.js';
import { COMMON_ERRORS, FHIR_JSON_TYPES, FORBIDDEN_STUDY, fhirContent, outcome } from '../http/route-schemas.js';
import { pageLinks } from '../http/search-links.js';
import type { Resource } from '../render/fhir-shapes.js';
import { renderSearchset } from '../render/searchset.js';
import { renderAuditEvent } from './audit-event.js';
import { AUDIT_SUBTYPES, type AuditQuery, type AuditStore } from './audit-store.js';

const MAX_PAGE = 100;
const DEFAULT_COUNT = 50;
const DATE = /^(ge|gt|le|lt)(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?)$/;

const format = Type.Optional(Type.String({ description: 'json, application/json or application/fhir+json; overrides Accept' }));

export const AuditSearchQuery = Type.Object({
  patient: Type.Optional(Type.String({ description: 'Patient/<id> or <id>: events that name this patient' })),
  subtype: Type.Optional(Type.String({ description: `comma-separated: ${AUDIT_SUBTYPES.join(', ')}` })),
  agent: Type.Optional(Type.String({ description: 'who: a client id (iss|client), an API key name, a CDS issuer, or anonymous' })),
  date: Type.Optional(
    Type.Union([Type.String(), Type.Array(Type.String(), { maxItems: 2 })], { description: 'geYYYY-MM-DD[Thh:mm:ssZ], lt…; at most two' }),
  ),
  _count: Type.Optional(Type.Integer({ minimum: 0, description: `page size, default ${DEFAULT_COUNT}; above ${MAX_PAGE} it is ${MAX_PAGE}` })),
  _offset: Type.Optional(Type.Integer({ minimum: 0, description: 'entries to skip' })),
  _format: format,
});

function badQuery(name: string): OperationOutcomeError {
  return new OperationOutcomeError('PRESCREEN_BAD_QUERY', { detail: `Parameter: ${name}.` });
}

function instant(value: string): string {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const time = Date.parse(day ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(time)) throw badQuery('date');
  // Date.parse rolls 2026-02-30 over to March: the calendar day must survive the round trip.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const check = new Date(Date.UTC(y, m - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw badQuery('date');
  return new Date(time).toISOString();
}

/** A day bound covers the whole day: `le2026-01-01` is before 2026-01-02. */
function dateBounds(values: string[], query: AuditQuery): void {
  for (const raw of values) {
    const match = DATE.exec(raw.trim());
    if (!match) throw badQuery('date');
    const [, prefix, value] = match as unknown as [string, string, string];
    const day = value.length === 10;
    const start = instant(value);
    const afterDay = day ? new Date(Date.parse(start) + 86_400_000).toISOString() : start;
    if (prefix === 'ge') query.since = start;
    else if (prefix === 'gt') query.since = day ? afterDay : new Date(Date.parse(start) + 1).toISOString();
    else if (prefix === 'lt') query.before = start;
    else query.before = day ? afterDay : new Date(Date.parse(start) + 1).toISOString();
  }
}

/** The targets of the events about these studies: each study and its CDS service; undefined for every event. */
function targetsOf(access: StudyAccess): string[] | undefined {
  if (access === 'all') return undefined;
  return [...access].flatMap((id) => [`ResearchStudy/${id}`, `cds-services/${serviceId(id)}`]);
}

function auditStore(store: AuditStore | undefined): AuditStore {
  if (!store) throw new OperationOutcomeError('PRESCREEN_UNAVAILABLE');
  return store;
}

export const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', negotiateFhirMedia);

  app.get(
    '/AuditEvent',
    {
      schema: {
        summary: 'Search the audit trail (admin): who screened or read which patient, when, with what outcome',
        tags: ['FHIR'],
        querystring: AuditSearchQuery,
        response: {
          200: fhirContent('Bundle', 'A searchset Bundle of AuditEvents, newest first, with total and paging links'),
          400: outcome('A search parameter has a bad value (value)'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      // A larger page is capped, as FHIR servers do; the paging links carry the page used.
      const query: AuditQuery = { count: Math.min(q._count ?? DEFAULT_COUNT, MAX_PAGE), offset: q._offset ?? 0 };
      if (q.patient !== undefined) {
        const patient = q.patient.trim();
        if (patient === '') throw badQuery('patient');
        query.patient = patient.includes('/') ? patient : `Patient/${patient}`;
      }
      if (q.subtype !== undefined) {
        const subtypes = q.subtype.split(',').map((s) => s.trim()).filter((s) => s !== '');
        if (subtypes.length === 0 || subtypes.some((s) => !(AUDIT_SUBTYPES as readonly string[]).includes(s))) throw badQuery('subtype');
        query.subtype = subtypes;
      }
      if (q.agent !== undefined) {
        if (q.agent.trim() === '') throw badQuery('agent');
        query.agent = q.agent.trim();
      }
      if (q.date !== undefined) dateBounds(Array.isArray(q.date) ? q.date : [q.date], query);
      const targets = targetsOf(studyAccess(request.principal, 'read', 'AuditEvent'));
      if (targets !== undefined) query.targets = targets;

      const { total, items } = await auditStore(app.store.audit).search(query);
      const base = baseUrl(request);
      const links = pageLinks(`${base}/AuditEvent`, q as Record<string, unknown>, { offset: query.offset, count: query.count, total });
      const entries = items.map((row) => ({
        fullUrl: `${base}/AuditEvent/${row.id}`,
        resource: renderAuditEvent(row, app.config.canonicalBase) as unknown as Resource,
      }));
      return sendFhir(reply, 200, renderSearchset(total, entries, links));
    },
  );

  app.get(
    '/AuditEvent/:id',
    {
      schema: {
        summary: 'One audit record (admin)',
        tags: ['FHIR'],
        params: Type.Object({ id: Type.String({ description: 'the AuditEvent id' }) }),
        querystring: Type.Object({ _format: format }),
        response: {
          200: {
            description: 'The AuditEvent',
            content: Object.fromEntries(FHIR_JSON_TYPES.map((t) => [t, { schema: { type: 'object', description: 'A FHIR R4 AuditEvent' } }])),
          },
          403: FORBIDDEN_STUDY,
          404: outcome('No such AuditEvent'),
          ...COMMON_ERRORS,
        },
      },
    },
    async (request, reply) => {
      const row = await auditStore(app.store.audit).get(request.params.id);
      if (!row) throw new OperationOutcomeError('PRESCREEN_NOT_FOUND');
      const targets = targetsOf(studyAccess(request.principal, 'read', 'AuditEvent'));
      if (targets !== undefined && (row.target === undefined || !targets.includes(row.target))) throw forbidden();
      return sendFhir(reply, 200, renderAuditEvent(row, app.config.canonicalBase));
    },
  );
};
