// SMART-style system scopes [SMART App Launch: Scopes and Launch Context] for the FHIR API.
// A route asks for one scope; a granted scope satisfies it when it names the same resource
// type (or `*`) and an access that covers the request, in either the v1 (`.read`, `.write`,
// `.*`) or the v2 (`.rs`, `.cud`, `.cruds`) syntax. Only the `system/` context is honoured:
// this service has no user or patient context of its own.
//
// A scope may be limited to some studies, in the v2 granular syntax: `?study=<id>[,<id>…]`.
// The rules (study-access.ts applies them per request):
// - a comma-separated list is an OR, as in a FHIR search (`study=a,b` is either study);
//   `study=a&study=b` is an AND, also as in a FHIR search (a subject has one study, so two
//   different ids grant nothing); several scopes add up;
// - a value is a study id or `ResearchStudy/<id>`, taken as written (no percent-decoding);
//   a value that cannot be a study id (`__proto__`, `MY-STUDY`) makes the scope malformed;
// - any other parameter, a modifier (`study:not=`), an empty or malformed value: the scope
//   grants nothing at all (fail closed), whatever else it names;
// - a study that does not exist is not an error: it grants nothing until it is added;
// - the same limit works on v1 scopes (`.read?study=a`): a limit only ever narrows.

export type Access = 'read' | 'write';

export interface RequiredScope {
  resourceType: string;
  access: Access;
  /** Only a scope without a study limit satisfies it (the admin fallback). */
  unlimited?: true;
}

/** Read the worklist: GET /ResearchSubject, GET /ResearchSubject/{id}. */
export const WORKLIST_READ: RequiredScope = { resourceType: 'ResearchSubject', access: 'read' };
/** Read the studies: GET /ResearchStudy…, GET /OperationDefinition/…. */
export const STUDY_READ: RequiredScope = { resourceType: 'ResearchStudy', access: 'read' };
/** Run `$screen`: it creates or replaces ResearchSubjects, so it is a ResearchSubject write. */
export const SCREEN: RequiredScope = { resourceType: 'ResearchSubject', access: 'write' };
/** Read the audit log: GET /AuditEvent (a study limit narrows what it returns). */
export const AUDIT_READ: RequiredScope = { resourceType: 'AuditEvent', access: 'read' };
/** The admin scope, for any route the policy does not list: an AuditEvent read without a study limit. */
export const ADMIN: RequiredScope = { resourceType: 'AuditEvent', access: 'read', unlimited: true };

export function scopeText(scope: RequiredScope): string {
  return `system/${scope.resourceType}.${scope.access}`;
}

const SCOPE = /^system\/([A-Za-z]+|\*)\.(read|write|\*|c?r?u?d?s?)(?:\?(.*))?$/;
/** A study id as a mapping declares it (mapping/schema.ts); anything else in a limit is malformed. */
const STUDY_ID = /^[a-z0-9][a-z0-9-]{0,127}$/;
const STUDY_PARAMETER = 'study';

/** One granted scope, read. `studies` is 'all' without a limit. */
export interface ParsedScope {
  resourceType: string;
  permissions: string;
  studies: 'all' | ReadonlySet<string>;
}

function studyIds(value: string): Set<string> | undefined {
  const ids = new Set<string>();
  for (const part of value.split(',')) {
    const id = part.startsWith('ResearchStudy/') ? part.slice('ResearchStudy/'.length) : part;
    if (!STUDY_ID.test(id)) return undefined;
    ids.add(id);
  }
  return ids;
}

/** The studies a `?…` query limits a scope to, or undefined when the query is not one this service reads. */
function studyLimit(query: string): ReadonlySet<string> | undefined {
  let limit: Set<string> | undefined;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals < 0 || pair.slice(0, equals) !== STUDY_PARAMETER) return undefined;
    const ids = studyIds(pair.slice(equals + 1));
    if (ids === undefined) return undefined;
    limit = limit === undefined ? ids : new Set([...limit].filter((id) => ids.has(id)));
  }
  return limit;
}

/** A scope string, read; undefined when it is not a system scope or its limit is not one this service reads. */
export function parseScope(scope: string): ParsedScope | undefined {
  const match = SCOPE.exec(scope);
  if (!match) return undefined;
  const [, resourceType, permissions, query] = match as unknown as [string, string, string, string | undefined];
  if (query === undefined) return { resourceType, permissions, studies: 'all' };
  const studies = studyLimit(query);
  return studies === undefined ? undefined : { resourceType, permissions, studies };
}

function covers(permissions: string, access: Access): boolean {
  if (permissions === '*') return true;
  if (permissions === 'read' || permissions === 'write') return permissions === access;
  // v2: read needs r and s (read and search); write needs c and u ($screen creates or replaces).
  if (permissions === '') return false;
  return access === 'read' ? permissions.includes('r') && permissions.includes('s') : permissions.includes('c') && permissions.includes('u');
}

/** Whether a read scope covers the required resource type and access (whatever its study limit). */
export function scopeCovers(scope: ParsedScope, resourceType: string, access: Access): boolean {
  return (scope.resourceType === '*' || scope.resourceType === resourceType) && covers(scope.permissions, access);
}

/**
 * True when one of the granted scopes covers the required one. A study-limited scope is
 * enough to reach a route (the route then answers only about its studies), unless the route
 * needs an unlimited one.
 */
export function grants(granted: readonly string[], required: RequiredScope): boolean {
  return granted.some((text) => {
    const scope = parseScope(text);
    if (scope === undefined || !scopeCovers(scope, required.resourceType, required.access)) return false;
    return required.unlimited !== true || scope.studies === 'all';
  });
}

/** The scopes of a token's claims: a space-separated `scope` (RFC 8693), or an `scp` array. */
export function scopesOfClaims(claims: Record<string, unknown>): string[] {
  const scope = claims['scope'];
  if (typeof scope === 'string') return scope.split(' ').filter((s) => s !== '');
  const scp = claims['scp'];
  if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
  return [];
}
