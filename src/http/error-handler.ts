// The one place an error becomes a response. OperationOutcomeError carries its catalogue code;
// fastify's FST_ERR_* codes are mapped to ours; anything else is a 500 with fixed text. No
// message of a thrown error ever reaches the client or the log, since parsers and libraries
// quote input in their messages.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OperationOutcomeError, type ErrorCode } from '../fhir/errors.js';
import { renderOperationOutcome } from '../render/operation-outcome.js';
import { sendFhir } from './fhir-reply.js';

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PRESCREEN_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'PRESCREEN_UNSUPPORTED_MEDIA',
  FST_ERR_CTP_INVALID_TYPE: 'PRESCREEN_UNSUPPORTED_MEDIA',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'PRESCREEN_NOT_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'PRESCREEN_NOT_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'PRESCREEN_BAD_REQUEST',
  FST_ERR_CTP_EMPTY_TYPE: 'PRESCREEN_UNSUPPORTED_MEDIA',
};

interface ValidationIssue {
  instancePath?: string;
}

function fromValidation(error: FastifyError): OperationOutcomeError {
  const first = (error.validation?.[0] ?? {}) as ValidationIssue;
  const field = (first.instancePath ?? '').split('/')[1] ?? '';
  switch (error.validationContext) {
    case 'body':
      // Only the envelope is validated (resourceType); ingest reports everything deeper.
      return new OperationOutcomeError('PRESCREEN_NOT_BUNDLE', field ? { expression: field } : {});
    case 'params':
      // A path id that cannot exist is simply not found.
      return new OperationOutcomeError('PRESCREEN_NOT_FOUND');
    case 'querystring':
      if (field === 'asOf') return new OperationOutcomeError('PRESCREEN_BAD_ASOF', { detail: 'Parameter: asOf.' });
      return new OperationOutcomeError('PRESCREEN_BAD_QUERY', field ? { detail: `Parameter: ${field}.` } : {});
    default:
      return new OperationOutcomeError('PRESCREEN_BAD_REQUEST');
  }
}

/** The settings an error's text names: a 413 says which limit it passed. */
export interface ErrorLimits {
  bodyLimit: number;
}

/** Our error for anything thrown; undefined means unexpected (a 500). */
export function toOperationOutcomeError(error: unknown, limits?: ErrorLimits): OperationOutcomeError | undefined {
  if (error instanceof OperationOutcomeError) return error;
  const fastifyError = error as Partial<FastifyError> | null;
  if (fastifyError && typeof fastifyError === 'object') {
    if (Array.isArray(fastifyError.validation)) return fromValidation(fastifyError as FastifyError);
    const mapped = typeof fastifyError.code === 'string' ? FASTIFY_CODES[fastifyError.code] : undefined;
    if (mapped === 'PRESCREEN_TOO_LARGE' && limits) {
      return new OperationOutcomeError(mapped, { detail: `The limit is ${limits.bodyLimit} bytes (setting BODY_LIMIT).` });
    }
    if (mapped) return new OperationOutcomeError(mapped);
    // Any other client error fastify raises (a bad URL, a malformed header) is a plain 400.
    const status = fastifyError.statusCode;
    if (typeof fastifyError.code === 'string' && fastifyError.code.startsWith('FST_ERR') && status !== undefined && status >= 400 && status < 500) {
      return new OperationOutcomeError('PRESCREEN_BAD_REQUEST');
    }
  }
  return undefined;
}

export function handleError(this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toOperationOutcomeError(error, this.config);
  const outcome = known ?? new OperationOutcomeError('PRESCREEN_INTERNAL');
  if (known && known.status < 500) {
    request.log.info({ code: outcome.code, statusCode: outcome.status }, 'request rejected');
  } else {
    request.log.error({ code: outcome.code, err: error }, 'request failed');
  }
  if (reply.sent || reply.raw.headersSent) return reply;
  return sendFhir(reply, outcome.status, renderOperationOutcome(outcome, { canonicalBase: this.config.canonicalBase }));
}

export function handleNotFound(this: FastifyInstance, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const outcome = new OperationOutcomeError('PRESCREEN_ROUTE_NOT_FOUND');
  return sendFhir(reply, outcome.status, renderOperationOutcome(outcome, { canonicalBase: this.config.canonicalBase }));
}
