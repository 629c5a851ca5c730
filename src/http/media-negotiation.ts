// Content negotiation for the FHIR routes [http: Content Types]: an Accept with no JSON type
// gets 406, and `_format` overrides Accept (browsers cannot set headers on a link).

import type { FastifyRequest } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';

const FORMATS = new Set(['json', 'application/json', 'application/fhir+json', 'ndjson', 'application/fhir+ndjson']);

function acceptsJson(accept: string): boolean {
  return accept.split(',').some((range) => {
    const [type = '', ...params] = range.trim().toLowerCase().split(';');
    // q=0 means "not this one" [RFC 9110 §12.4.2].
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && Number(q.slice(2)) === 0) return false;
    const media = type.trim();
    return media === '*/*' || media === 'application/*' || media === 'application/json' || media.endsWith('+json') || media.endsWith('+ndjson');
  });
}

export async function negotiateFhirMedia(request: FastifyRequest): Promise<void> {
  const format = (request.query as Record<string, unknown> | undefined)?.['_format'];
  if (format !== undefined) {
    const value = Array.isArray(format) ? format[0] : format;
    if (typeof value === 'string' && FORMATS.has(value.trim().toLowerCase().split(';')[0]!.trim())) return;
    throw new OperationOutcomeError('PRESCREEN_NOT_ACCEPTABLE', { detail: 'Use _format=json.' });
  }
  const accept = request.headers.accept;
  if (accept === undefined || accept.trim() === '') return;
  if (!acceptsJson(accept)) throw new OperationOutcomeError('PRESCREEN_NOT_ACCEPTABLE');
}
