// The worklist API's JSON answers: sent as strings, never through a schema
// serializer, and never cached by a browser or proxy (they carry patient references and notes).

import type { FastifyReply } from 'fastify';

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply
    .code(status)
    .header('cache-control', 'no-store')
    .type('application/json; charset=utf-8')
    .send(JSON.stringify(body));
}
