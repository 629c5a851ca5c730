// Echoes the request id, so a client can quote it and an operator can find the log lines.

import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';

async function requestId(app: FastifyInstance): Promise<void> {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
}

export default fp(requestId, { fastify: '5.x', name: 'request-id' });
