// Every FHIR body goes out through here: serialized with JSON.stringify, never a schema
// serializer, because schema serializers drop fields they do not know. The resource a reply
// was serialized from is kept beside it, so an onSend hook (audit/audit-trail.ts) reads the
// answer without parsing its text again.

import type { FastifyReply } from 'fastify';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
export const FHIR_NDJSON = 'application/fhir+ndjson';

const sent = new WeakMap<FastifyReply, { text: string; resource: unknown }>();

export function sendFhir(reply: FastifyReply, status: number, resource: unknown): FastifyReply {
  const text = JSON.stringify(resource);
  sent.set(reply, { text, resource });
  return reply.code(status).type(FHIR_JSON).send(text);
}

/**
 * The resource whose JSON text `payload` is, when sendFhir serialized it for this reply; else
 * undefined (another payload, or one a hook replaced since).
 */
export function sentResource(reply: FastifyReply, payload: unknown): unknown {
  const last = sent.get(reply);
  return last !== undefined && payload === last.text ? last.resource : undefined;
}
