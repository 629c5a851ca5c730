// What each route needs when authentication is on. One table, so a security review reads it in
// one place; a route may instead declare `config: { auth: 'public' | RequiredScope }`. A route
// that is in neither needs the admin scope without a study limit (fail closed), except the
// worklist page under /app, which reads the worklist. A study-limited scope reaches a route;
// which studies it then answers about is study-access.ts's to say, in the route.

import type { FastifyRequest } from 'fastify';
import { ADMIN, AUDIT_READ, SCREEN, STUDY_READ, WORKLIST_READ, type RequiredScope } from './scopes.js';

export type RoutePolicy =
  | { kind: 'public' }
  /** The CDS service routes: their own CDS Hooks JWT scheme when CDS_CLIENTS is set. */
  | { kind: 'cds'; scope: RequiredScope }
  /** Any valid credential (the API description, unknown paths). */
  | { kind: 'authenticated' }
  | { kind: 'scope'; scope: RequiredScope };

const PUBLIC: RoutePolicy = { kind: 'public' };
const scope = (s: RequiredScope): RoutePolicy => ({ kind: 'scope', scope: s });
/**
 * Both $screen routes, per study and type-level (every study, or those named by `study=`), need
 * the same: one policy, so narrowing it per study narrows both.
 */
const SCREEN_POLICY = scope(SCREEN);

/** `METHOD route-pattern` → policy. HEAD follows GET. */
const TABLE: Record<string, RoutePolicy> = {
  'GET /healthz': PUBLIC,
  'GET /readyz': PUBLIC,
  'GET /metadata': PUBLIC,
  // CDS Hooks discovery is public by the spec; a CORS preflight carries no credentials.
  'GET /cds-services': PUBLIC,
  'OPTIONS /cds-services': PUBLIC,
  'OPTIONS /cds-services/*': PUBLIC,
  'POST /cds-services/:id': { kind: 'cds', scope: SCREEN },
  'POST /cds-services/:id/feedback': { kind: 'cds', scope: SCREEN },
  'GET /cds-services/:id/feedback-summary': { kind: 'cds', scope: WORKLIST_READ },
  'GET /OperationDefinition/:id': scope(STUDY_READ),
  'GET /ResearchStudy': scope(STUDY_READ),
  'GET /ResearchStudy/:study': scope(STUDY_READ),
  'POST /ResearchStudy/:study/$screen': SCREEN_POLICY,
  'POST /ResearchStudy/$screen': SCREEN_POLICY,
  'GET /ResearchSubject': scope(WORKLIST_READ),
  'GET /ResearchSubject/:id': scope(WORKLIST_READ),
  'GET /AuditEvent': scope(AUDIT_READ),
  'GET /AuditEvent/:id': scope(AUDIT_READ),
  'GET /openapi.json': { kind: 'authenticated' },
};

function isScope(value: unknown): value is RequiredScope {
  const v = value as Partial<RequiredScope> | null;
  return typeof v === 'object' && v !== null && typeof v.resourceType === 'string' && (v.access === 'read' || v.access === 'write');
}

export function policyOf(request: FastifyRequest): RoutePolicy {
  const url = request.routeOptions.url;
  // No route: a 404 (or a 405) still needs a credential, so probing learns nothing.
  if (url === undefined) return { kind: 'authenticated' };
  const declared = (request.routeOptions.config as { auth?: unknown } | undefined)?.auth;
  if (declared === 'public') return PUBLIC;
  if (isScope(declared)) return scope(declared);
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const listed = TABLE[`${method} ${url}`];
  if (listed) return listed;
  if (url === '/docs' || url.startsWith('/docs/')) return { kind: 'authenticated' };
  if (url === '/app' || url.startsWith('/app/')) return scope(WORKLIST_READ);
  return scope(ADMIN);
}
