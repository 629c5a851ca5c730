// Who made a request, as the audit log and the rate limiter see it. Set by the FHIR API's
// authentication (a token or an API key) or by the CDS group's own JWT check; 'anonymous'
// when authentication is off.

export type PrincipalKind = 'jwt' | 'api-key' | 'cds' | 'anonymous';

export interface Principal {
  kind: PrincipalKind;
  /** jwt: `<iss>|<client_id or sub>`; api-key: the key's name; cds: the client's iss. */
  id: string;
  scopes: readonly string[];
}

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous', id: 'anonymous', scopes: Object.freeze([]) as readonly string[] });

declare module 'fastify' {
  interface FastifyRequest {
    /** Set in onRequest by whichever scheme verified the caller. */
    principal: Principal;
  }
}
