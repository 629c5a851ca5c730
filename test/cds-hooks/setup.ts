// Shared set-up for the CDS Hooks tests: a listening service on 127.0.0.1:0 (real HTTP, not
// inject), the typical patient as FHIR server content, and the prefetch a client would send.

import type { BuildOptions, Built } from '../helpers/build-app.js';
import { build } from '../helpers/build-app.js';
import type { FakeFhirServer } from '../helpers/fake-fhir-server.js';
import { typicalPatientBundle } from '../../bench/typical-patient.js';

export type Json = Record<string, unknown>;

export const SERVICE = 'belimumab-iim-prescreen';

export interface Listening extends Built {
  url: string;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

export async function listen(env: Record<string, string> = {}, options: Omit<BuildOptions, 'env'> = {}): Promise<Listening> {
  const built = await build({ ...options, env: { LOG_LEVEL: 'info', ...env } });
  const address = await built.app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('localhost', '127.0.0.1');
  return {
    ...built,
    url,
    post: (path, body, headers = {}) =>
      fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : body instanceof Uint8Array ? new Uint8Array(body) : JSON.stringify(body),
      }),
    get: (path, headers = {}) => fetch(`${url}${path}`, { headers }),
  };
}

export function typicalPatient(): { bundle: Json; patientId: string; resources: Json[] } {
  const bundle = typicalPatientBundle() as { entry: { resource: Json }[] };
  const resources = bundle.entry.map((e) => e.resource);
  return { bundle: bundle as unknown as Json, patientId: String(resources[0]!['id']), resources };
}

export async function discovery(app: Listening): Promise<{ prefetch: Record<string, string> }> {
  const response = await app.get('/cds-services');
  const body = (await response.json()) as { services: { id: string; prefetch: Record<string, string> }[] };
  return body.services.find((s) => s.id === SERVICE)!;
}

/** What an EHR would prefetch: each template, filled and answered by the FHIR server. */
export async function prefetchFrom(server: FakeFhirServer, templates: Record<string, string>, patientId: string): Promise<Json> {
  const prefetch: Json = {};
  for (const [key, template] of Object.entries(templates)) {
    const response = await fetch(`${server.base}/${template.split('{{context.patientId}}').join(patientId)}`);
    prefetch[key] = await response.json();
  }
  server.requests.length = 0;
  return prefetch;
}

export function call(patientId: string, extra: Json = {}): Json {
  return {
    hook: 'patient-view',
    hookInstance: crypto.randomUUID(),
    context: { userId: 'Practitioner/example', patientId },
    ...extra,
  };
}

/** Every criterion of a ResearchSubject: id → the criterion extension's parts. */
export function criteriaOf(subject: Json): Map<string, unknown> {
  const evaluation = (subject['extension'] as { extension: { url: string; extension?: { url: string; valueCode?: string }[] }[] }[])[0]!;
  const out = new Map<string, unknown>();
  for (const part of evaluation.extension) {
    if (part.url !== 'criterion') continue;
    const id = part.extension!.find((p) => p.url === 'id')!.valueCode!;
    out.set(id, part.extension);
  }
  return out;
}

/** No null and no empty "", [] or {} anywhere (CDS Hooks: Use of JSON), except where allowed. */
export function emptiesIn(value: unknown, path = '$', allow: (path: string) => boolean = () => false): string[] {
  if (allow(path)) return [];
  if (value === null || value === '') return [path];
  if (Array.isArray(value)) return value.length === 0 ? [path] : value.flatMap((v, i) => emptiesIn(v, `${path}[${i}]`, allow));
  if (typeof value === 'object') {
    const entries = Object.entries(value as Json);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptiesIn(v, `${path}.${k}`, allow));
  }
  return [];
}
