// Who made a request, as the audit log, the rate limiter and the study checks see it. Set by
// the FHIR API's authentication (a token or an API key) or by the CDS group's own JWT check;
// 'anonymous' when authentication is off (ANONYMOUS, allowed everything) or on a public route
// (UNAUTHENTICATED, allowed nothing beyond that route).

export type PrincipalKind = 'jwt' | 'api-key' | 'cds' | 'anonymous';

export interface Principal {
  kind: PrincipalKind;
  /** jwt: `<iss>|<client_id or sub>`; api-key: the key's name; cds: the client's iss. */
  id: string;
  scopes: readonly string[];
  /** Authentication is off: the local user, whom no scope or study limit applies to. */
  unrestricted?: true;
}

const NO_SCOPES = Object.freeze([]) as readonly string[];

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', scopes: NO_SCOPES, unrestricted: true });

/** A caller not (yet) verified while authentication is on. */
export const UNAUTHENTICATED: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', scopes: NO_SCOPES });

declare module 'fastify' {
  interface FastifyRequest {
    /** Set in onRequest by whichever scheme verified the caller. */
    principal: Principal;
  }
}
