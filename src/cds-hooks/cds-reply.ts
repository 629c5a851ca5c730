// CDS routes answer application/json (standards §1 Media), errors included: an OperationOutcome
// with the catalogue's code, like every other route, only under the CDS media type.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OperationOutcomeError } from '../fhir/errors.js';
import { toOperationOutcomeError } from '../http/error-handler.js';
import { renderOperationOutcome } from '../render/operation-outcome.js';

export const CDS_JSON = 'application/json; charset=utf-8';

export function sendCdsJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type(CDS_JSON).send(JSON.stringify(body));
}

export function sendCdsOutcome(reply: FastifyReply, error: OperationOutcomeError, status: number = error.status): FastifyReply {
  return sendCdsJson(reply, status, renderOperationOutcome(error, { canonicalBase: reply.server.config.canonicalBase }));
}

/** The CDS group's error handler: body validation names the field; the rest as the app's handler does. */
export function handleCdsError(this: FastifyInstance, error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const fastifyError = error as Partial<FastifyError> | null;
  let known: OperationOutcomeError | undefined;
  if (fastifyError && Array.isArray(fastifyError.validation) && fastifyError.validationContext === 'body') {
    const first = fastifyError.validation[0] as { instancePath?: string; params?: { missingProperty?: string } } | undefined;
    const path = [...(first?.instancePath ?? '').split('/').filter((p) => p !== ''), ...(first?.params?.missingProperty ? [first.params.missingProperty] : [])];
    const expression = path.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
    known = new OperationOutcomeError('PRESCREEN_BAD_REQUEST', expression ? { expression } : {});
  } else {
    known = toOperationOutcomeError(error, this.config);
  }
  const outcome = known ?? new OperationOutcomeError('PRESCREEN_INTERNAL');
  if (known && known.status < 500) request.log.info({ code: outcome.code, statusCode: outcome.status }, 'request rejected');
  else request.log.error({ code: outcome.code, err: error }, 'request failed');
  if (reply.sent || reply.raw.headersSent) return reply;
  if (outcome.status === 401) reply.header('www-authenticate', 'Bearer');
  return sendCdsOutcome(reply, outcome);
}
