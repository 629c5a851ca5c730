// CORS for browser-based CDS clients [Cross-Origin Resource Sharing]: the allowed origins come
// from CDS_CORS_ORIGINS. A listed origin is echoed (with Vary: Origin); `*` allows any origin
// and is never combined with credentials (the JWT travels in a header, not a cookie). Nothing
// is sent for an origin not on the list, so the browser blocks the page from reading it.

import type { FastifyReply, FastifyRequest } from 'fastify';

const ALLOW_METHODS = 'GET, POST, OPTIONS';
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept';

export function corsHeaders(allowed: string[]): (request: FastifyRequest, reply: FastifyReply) => Promise<void> {
  const any = allowed.includes('*');
  const list = new Set(allowed);
  return async (request, reply) => {
    const origin = request.headers.origin;
    if (allowed.length === 0) return;
    reply.header('vary', 'Origin');
    if (typeof origin !== 'string') return;
    if (any) reply.header('access-control-allow-origin', '*');
    else if (list.has(origin)) reply.header('access-control-allow-origin', origin);
    else return;
    reply.header('access-control-expose-headers', 'WWW-Authenticate, Retry-After');
    if (request.method === 'OPTIONS') {
      reply.header('access-control-allow-methods', ALLOW_METHODS);
      reply.header('access-control-allow-headers', ALLOW_HEADERS);
      reply.header('access-control-max-age', '600');
    }
  };
}
