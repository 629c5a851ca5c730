// SMART-style system scopes [SMART App Launch: Scopes and Launch Context] for the FHIR API.
// A route asks for one scope; a granted scope satisfies it when it names the same resource
// type (or `*`) and an access that covers the request, in either the v1 (`.read`, `.write`,
// `.*`) or the v2 (`.rs`, `.cud`, `.cruds`) syntax. Only the `system/` context is honoured:
// this service has no user or patient context of its own.

export type Access = 'read' | 'write';

export interface RequiredScope {
  resourceType: string;
  access: Access;
}

/** Read the worklist: GET /ResearchSubject, GET /ResearchSubject/{id}. */
export const WORKLIST_READ: RequiredScope = { resourceType: 'ResearchSubject', access: 'read' };
/** Read the studies: GET /ResearchStudy…, GET /OperationDefinition/…. */
export const STUDY_READ: RequiredScope = { resourceType: 'ResearchStudy', access: 'read' };
/** Run `$screen`: it creates or replaces ResearchSubjects, so it is a ResearchSubject write. */
export const SCREEN: RequiredScope = { resourceType: 'ResearchSubject', access: 'write' };
/** Read the audit log: GET /AuditEvent (the admin scope). */
export const AUDIT_READ: RequiredScope = { resourceType: 'AuditEvent', access: 'read' };

export function scopeText(scope: RequiredScope): string {
  return `system/${scope.resourceType}.${scope.access}`;
}

const SCOPE = /^system\/([A-Za-z]+|\*)\.(read|write|\*|c?r?u?d?s?)$/;

function covers(permissions: string, access: Access): boolean {
  if (permissions === '*') return true;
  if (permissions === 'read' || permissions === 'write') return permissions === access;
  // v2: read needs r and s (read and search); write needs c and u ($screen creates or replaces).
  if (permissions === '') return false;
  return access === 'read' ? permissions.includes('r') && permissions.includes('s') : permissions.includes('c') && permissions.includes('u');
}

/** True when one of the granted scopes covers the required one. */
export function grants(granted: readonly string[], required: RequiredScope): boolean {
  return granted.some((scope) => {
    const match = SCOPE.exec(scope);
    if (!match) return false;
    const [, resourceType, permissions] = match;
    return (resourceType === '*' || resourceType === required.resourceType) && covers(permissions!, required.access);
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
