// JSON bodies for the FHIR routes. fastify's default parser with secure-json-parse semantics:
// a `__proto__` or `constructor.prototype` key is an error, not a silently dropped key. Its
// errors are fastify's generic FST_ERR_CTP_* ones, never JSON.parse's message (which quotes
// the input), and the error handler answers them with our own text.

import type { FastifyInstance } from 'fastify';

export const JSON_MEDIA_TYPES = ['application/fhir+json', 'application/json'];

/**
 * Whether the parser below might refuse this text for a `__proto__` or `constructor.prototype`
 * key. A screening thread that parses a body itself (http/screen-body-worker.ts,
 * cds-hooks/screen-thread-worker.ts) leaves such text to the request thread's parser, which
 * answers it.
 */
export function mayHoldRefusedKey(text: string): boolean {
  return text.includes('__proto__') || text.includes('constructor');
}

export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser(JSON_MEDIA_TYPES, { parseAs: 'string' }, parse);
}
