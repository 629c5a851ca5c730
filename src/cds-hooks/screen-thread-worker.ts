// A CDS screening thread: takes a patient-view body as the text that arrived, and when its
// prefetch holds everything the call's studies read, parses it once, screens it for each of
// those studies and renders the results off the event loop. Anything else — a key to fetch, a body that is not what the route accepts, an error of
// any kind — is answered `undefined`, and the request thread handles the call as it always
// does, with the same answers and the same errors. So this thread never decides an error.

import { workerData } from 'node:worker_threads';
import { mayHoldRefusedKey } from '../http/json-body-parser.js';
import { isJsonObject } from '../ingest/json-object.js';
import { assertMaxDepth } from '../ingest/max-depth.js';
import { loadStudies } from '../screening/study-registry.js';
import { resourceJson } from '../storage/resource-json.js';
import { serveRequests } from '../worker/serve-requests.js';
import { gatherPatientData } from './prefetch.js';
import { screenGathered } from './screen-gathered.js';
import type { OffThreadScreening, ScreenThreadRequest, ScreenThreadSetup } from './screen-threads.js';
import { templatesOf } from './call-studies.js';
import { buildServices, HOOK, type CdsServiceStudy } from './services.js';

const setup = workerData as ScreenThreadSetup;
const services = buildServices(await loadStudies(setup.mappingsDir), setup.mappingsDir);

/** Whatever fails here is answered by the request thread instead. */
async function screenCall(request: ScreenThreadRequest): Promise<OffThreadScreening | undefined> {
  const service = services.get(request.serviceId);
  if (!service) return undefined;
  // The request thread's studies must be the ones loaded here, or the answers could differ.
  const studies: CdsServiceStudy[] = [];
  for (const asked of request.studies) {
    const study = service.studies.find((s) => s.study.mapping.id === asked.id);
    if (!study || study.study.mapping.contentHash !== asked.contentHash) return undefined;
    studies.push(study);
  }
  if (mayHoldRefusedKey(request.text)) return undefined;
  const body: unknown = JSON.parse(request.text);
  if (!isJsonObject(body) || body['hook'] !== HOOK || !isJsonObject(body['prefetch']) || !isJsonObject(body['context'])) return undefined;
  const patientId = body['context']['patientId'];
  if (typeof patientId !== 'string') return undefined;
  // No fhirServer: a key that must be fetched throws, and the request thread fetches it.
  const gathered = await gatherPatientData(
    templatesOf(service, studies),
    { patientId, prefetch: body['prefetch'], fhirServer: undefined, accessToken: undefined },
    { timeoutMs: 1, deadlineMs: 60_000, concurrency: 1, maxPages: 1, maxBytes: 0, allowlist: undefined },
  );
  const screened = screenGathered(
    studies.map((s) => s.study),
    gathered.bundle,
    request.today,
    setup,
  );
  const { prefetch: _prefetch, ...envelope } = body;
  // The envelope travels back as it came, and a deeply nested value in it (a fuzzed fhirServer)
  // would fail to deserialize on the request thread, where the reply would then be lost.
  assertMaxDepth(envelope);
  return {
    envelope,
    results: screened.map(({ evaluation, resource }) => ({ evaluation, subjectId: resource.id, subjectJson: resourceJson(resource) })),
  };
}

// Every request gets exactly one reply (serve-requests.ts); one that failed here is screened by
// the request thread, as an `undefined` is.
serveRequests(screenCall);
