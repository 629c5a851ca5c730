// The base URL clients reach us at: PUBLIC_URL when configured (behind a proxy the Host header
// is the proxy's business), else what this request came in on.

import type { FastifyRequest } from 'fastify';

export function baseUrl(request: FastifyRequest): string {
  const configured = request.server.config.publicUrl;
  if (configured) return configured;
  return `${request.protocol}://${request.host}`;
}
