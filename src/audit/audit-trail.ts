// Writes the audit trail: every screening ($screen, each NDJSON line, each CDS call) and every
// worklist or audit read becomes one AuditEvent-shaped row (audit-store.ts), denied attempts
// included; a type-level $screen (every study, or those its `study=` names) becomes one row per
// study, as if each study had been screened alone, so each row names one study. An onSend
// hook on the whole app (fastify-plugin) reads only what it needs: the route, the status, the
// principal, and patient references from the answer (a ResearchSubject's `individual`, those
// of a Bundle's entries; from the resource sendFhir serialized it from, so a large answer is
// not parsed again) or, for a CDS call, the context's patientId, and the target: the study or
// CDS service the URL (or a worklist search's `study`) names, else a ResearchSubject answer's
// study, so a study-limited auditor sees the reads of its studies' results (audit-routes.ts).
// Rows are stored before the answer leaves, except NDJSON, whose rows are written as the
// stream goes, in batches, and all before it ends. Concurrent requests share INSERT statements
// (storage/write-batcher.ts), so under load a CDS call does not pay a statement of its own. A
// failed audit write is logged, never the request's failure.

import { Readable, Transform, type TransformCallback } from 'node:stream';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { studyAccess } from '../auth/study-access.js';
import { sentResource } from '../http/fhir-reply.js';
import { selectStudies } from '../http/study-selection.js';
import { WriteBatcher } from '../storage/write-batcher.js';
import type { AuditRecord, AuditSubtype } from './audit-store.js';

const ID = /^[A-Za-z0-9\-.]{1,64}$/;
const REFERENCE = /^[A-Za-z]{1,64}\/[A-Za-z0-9\-.]{1,64}$/;
const NDJSON_BATCH = 200;
/** Rows one shared INSERT carries at most (an NDJSON batch is never split). */
const SHARED_ROWS = 256;

interface AuditedRoute {
  subtype: AuditSubtype;
  action: AuditRecord['action'];
}

const ROUTES: Record<string, AuditedRoute> = {
  'POST /ResearchStudy/:study/$screen': { subtype: 'screen', action: 'E' },
  'POST /ResearchStudy/$screen': { subtype: 'screen', action: 'E' },
  'POST /cds-services/:id': { subtype: 'cds-call', action: 'E' },
  'GET /ResearchSubject': { subtype: 'worklist-search', action: 'R' },
  'GET /ResearchSubject/:id': { subtype: 'worklist-read', action: 'R' },
  'GET /AuditEvent': { subtype: 'audit-read', action: 'R' },
  'GET /AuditEvent/:id': { subtype: 'audit-read', action: 'R' },
};

export function outcomeOf(status: number): AuditRecord['outcome'] {
  if (status < 400) return '0';
  return status < 500 ? '4' : '8';
}

function individualOf(resource: unknown): string | undefined {
  const r = resource as { resourceType?: unknown; individual?: { reference?: unknown } } | null;
  const reference = r?.individual?.reference;
  return r?.resourceType === 'ResearchSubject' && typeof reference === 'string' && REFERENCE.test(reference) ? reference : undefined;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The answer as JSON: the resource sendFhir serialized it from, else its text parsed, when it is a JSON text. */
function answerOf(reply: FastifyReply, payload: unknown): unknown {
  const resource = sentResource(reply, payload);
  if (resource !== undefined) return resource;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return undefined;
  return parse(payload.toString());
}

/** The patients an answer names: a ResearchSubject's, or every one in a Bundle (a searchset page, a type-level $screen's). */
function patientsIn(answer: unknown): string[] {
  const body = answer as { resourceType?: unknown; entry?: unknown } | undefined;
  if (body?.resourceType === 'Bundle' && Array.isArray(body.entry)) {
    return [...new Set(body.entry.map((e) => individualOf((e as { resource?: unknown } | null)?.resource)).filter((r): r is string => r !== undefined))];
  }
  const one = individualOf(body);
  return one === undefined ? [] : [one];
}

/** The study of a ResearchSubject answer (a read by id names no study in its URL). */
function studyInAnswer(answer: unknown): string | undefined {
  const r = answer as { resourceType?: unknown; study?: { reference?: unknown } } | null | undefined;
  const reference = r?.study?.reference;
  return r?.resourceType === 'ResearchSubject' && typeof reference === 'string' && /^ResearchStudy\/[A-Za-z0-9\-.]{1,64}$/.test(reference)
    ? reference
    : undefined;
}

function targetOf(request: FastifyRequest): string | undefined {
  const params = (request.params ?? {}) as { study?: unknown; id?: unknown };
  if (typeof params.study === 'string' && ID.test(params.study)) return `ResearchStudy/${params.study}`;
  if ((request.routeOptions.url ?? '').startsWith('/cds-services') && typeof params.id === 'string' && ID.test(params.id)) {
    return `cds-services/${params.id}`;
  }
  // A worklist search of one study (`study=<id>` or `study=ResearchStudy/<id>`) is about it.
  const study = request.routeOptions.url === '/ResearchSubject' ? (request.query as { study?: unknown } | undefined)?.study : undefined;
  if (typeof study === 'string') {
    const id = study.trim().replace(/^ResearchStudy\//, '');
    if (ID.test(id)) return `ResearchStudy/${id}`;
  }
  return undefined;
}

/**
 * What each row of this request names: the type-level $screen's studies (one row each), read
 * from its query as the route reads it; one target otherwise, or none when the studies cannot
 * be read (an unknown or malformed `study=`).
 */
function targetsOf(app: FastifyInstance, request: FastifyRequest): (string | undefined)[] {
  if (request.routeOptions.url !== '/ResearchStudy/$screen') return [targetOf(request)];
  try {
    const studies = selectStudies(app.studies, (request.query as { study?: unknown } | undefined)?.study, studyAccess(request.principal, 'write'));
    return studies.length === 0 ? [undefined] : studies.map((s) => `ResearchStudy/${s.mapping.id}`);
  } catch {
    return [undefined];
  }
}

async function auditTrail(app: FastifyInstance): Promise<void> {
  let batcher: WriteBatcher<AuditRecord> | undefined;
  const write = async (request: FastifyRequest, records: AuditRecord[]): Promise<void> => {
    const store = app.store.audit;
    if (!store || records.length === 0) return;
    batcher ??= new WriteBatcher((rows) => store.record(rows), SHARED_ROWS);
    try {
      await batcher.write(records);
    } catch (error) {
      request.log.error({ err: error, rows: records.length }, 'audit write failed');
    }
  };

  app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const url = request.routeOptions.url;
    const route = url === undefined ? undefined : ROUTES[`${request.method} ${url}`];
    if (!route) return payload;
    const base = {
      action: route.action,
      agentKind: request.principal?.kind ?? 'anonymous',
      agentId: request.principal?.id ?? 'anonymous',
      address: request.ip,
      requestId: String(request.id),
    };
    const targets = targetsOf(app, request);
    if (payload instanceof Readable && reply.statusCode === 200) {
      return payload.pipe(ndjsonAuditor((records) => write(request, records.flatMap((r) => targets.map((target) => ({ ...base, target, ...r }))))));
    }
    const answer = answerOf(reply, payload);
    let patientRefs = patientsIn(answer);
    const answerStudy = studyInAnswer(answer);
    if (route.subtype === 'cds-call' && patientRefs.length === 0) {
      const patientId = (request.body as { context?: { patientId?: unknown } } | undefined)?.context?.patientId;
      if (typeof patientId === 'string' && ID.test(patientId)) patientRefs = [`Patient/${patientId}`];
    }
    const record = { ...base, subtype: route.subtype, outcome: outcomeOf(reply.statusCode), httpStatus: reply.statusCode, patientRefs };
    await write(request, targets.map((target) => ({ ...record, target: target ?? answerStudy })));
    return payload;
  });
}

type LineRecord = Pick<AuditRecord, 'subtype' | 'outcome' | 'httpStatus' | 'patientRefs' | 'line'>;

/** Passes the NDJSON answer through unchanged, turning each line into an audit row. */
function ndjsonAuditor(flush: (records: LineRecord[]) => Promise<void>): Transform {
  let pending = '';
  let line = 0;
  let batch: LineRecord[] = [];
  const take = (text: string) => {
    line += 1;
    const body = parse(text) as { resourceType?: unknown; issue?: { code?: unknown }[] } | undefined;
    // A line's answer is a ResearchSubject, or a type-level $screen's Bundle of them.
    const patientRefs = patientsIn(body);
    if (body?.resourceType === 'ResearchSubject' ? patientRefs.length > 0 : body?.resourceType === 'Bundle') {
      batch.push({ subtype: 'screen-ndjson', outcome: '0', httpStatus: 200, patientRefs, line });
    } else {
      const serious = body?.issue?.[0]?.code === 'exception';
      batch.push({ subtype: 'screen-ndjson', outcome: serious ? '8' : '4', httpStatus: 200, patientRefs: [], line });
    }
  };
  const drain = async () => {
    const out = batch;
    batch = [];
    await flush(out);
  };
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback: TransformCallback) {
      pending += chunk.toString();
      let cut = pending.indexOf('\n');
      while (cut >= 0) {
        take(pending.slice(0, cut));
        pending = pending.slice(cut + 1);
        cut = pending.indexOf('\n');
      }
      if (batch.length >= NDJSON_BATCH) {
        drain().then(() => callback(null, chunk), callback);
      } else callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      if (pending.trim() !== '') take(pending);
      drain().then(() => callback(), callback);
    },
  });
}

export default fp(auditTrail, { fastify: '5.x', name: 'audit-trail', dependencies: ['shared-decorators'] });
