// fastify's own log lines, made safe. The defaults log the URL ("incoming request", "Route
// GET:/… not found") and error messages (which may quote input); these log one line per
// request with method, route pattern, status and time, and errors by kind only.

import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? '(no route)';
}

export class SafeLogController extends Fastify.LogController {
  // Debug only: one line when a request's headers have arrived, so an operator (and the
  // graceful-shutdown test) can tell a request the server has taken from one still queued.
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ method: request.method, route: routeOf(request) }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = {
      method: request.method,
      route: routeOf(request),
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.error({ method: request.method, route: routeOf(request), err: error }, 'request failed');
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method }, 'route not found');
  }

  override writeHeadError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ err: error }, 'writing headers failed');
  }

  override streamError(error: Error, _request: FastifyRequest, reply: FastifyReply): void {
    reply.log.warn({ err: error }, 'response stream failed');
  }
}
