// Every FHIR body goes out through here: serialized with JSON.stringify, never a schema
// serializer, because schema serializers drop fields they do not know.

import type { FastifyReply } from 'fastify';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const FHIR_NDJSON = 'application/fhir+ndjson';

export function sendFhir(reply: FastifyReply, status: number, resource: unknown): FastifyReply {
  return reply.code(status).type(FHIR_JSON).send(JSON.stringify(resource));
}
