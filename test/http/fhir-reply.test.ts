// http/fhir-reply.ts: what sendFhir sends is JSON.stringify's text of the resource, and an
// onSend hook gets that very resource back for that text (audit-trail.ts reads the answer so,
// without parsing it again), never for a payload a hook replaced.
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { FHIR_JSON, sendFhir, sentResource } from '../../src/http/fhir-reply.js';

const resource = { resourceType: 'ResearchSubject', id: 's1', individual: { reference: 'Patient/p1' } };

async function answer(replace: boolean): Promise<{ seen: unknown[]; body: string; type: unknown }> {
  const app = Fastify();
  const seen: unknown[] = [];
  if (replace) app.addHook('onSend', async () => JSON.stringify({ ...resource, id: 'replaced' }));
  app.addHook('onSend', async (_request, reply, payload) => {
    seen.push(sentResource(reply, payload));
    return payload;
  });
  app.get('/fhir', async (_request, reply) => sendFhir(reply, 200, resource));
  app.get('/plain', async (_request, reply) => reply.type('application/json').send(JSON.stringify(resource)));
  const fhir = await app.inject({ url: '/fhir' });
  await app.inject({ url: '/plain' });
  await app.close();
  return { seen, body: fhir.body, type: fhir.headers['content-type'] };
}

describe('sendFhir', () => {
  it('sends the JSON text of the resource, and an onSend hook gets that resource back for it', async () => {
    const { seen, body, type } = await answer(false);
    expect(body).toBe(JSON.stringify(resource));
    expect(type).toBe(FHIR_JSON);
    expect(seen[0]).toBe(resource);
    // A payload sendFhir did not make has no resource behind it.
    expect(seen[1]).toBeUndefined();
  });

  it('gives no resource for a payload another hook replaced', async () => {
    const { seen, body } = await answer(true);
    expect(JSON.parse(body)).toMatchObject({ id: 'replaced' });
    expect(seen).toEqual([undefined, undefined]);
  });
});
