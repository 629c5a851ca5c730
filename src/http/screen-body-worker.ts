// A $screen screening thread (screen-body-threads.ts): the body's bytes in, the study's
// ResearchSubject row out, or `undefined` for anything the request thread must answer itself.

import { workerData } from 'node:worker_threads';
import { isJsonObject } from '../ingest/json-object.js';
import { loadStudies } from '../screening/study-registry.js';
import { screenStudies } from '../screening/screen-studies.js';
import { toStoredSubject } from '../storage/stored-subject.js';
import { serveRequests } from '../worker/serve-requests.js';
import { mayHoldRefusedKey } from './json-body-parser.js';
import type { ScreenBodyRequest, ScreenBodySetup, ScreenedBody } from './screen-body-threads.js';
import { readScreenInput } from './screen-one.js';

const setup = workerData as ScreenBodySetup;
const studies = await loadStudies(setup.mappingsDir);

/** Whatever fails here (an error thrown included) is answered by the request thread instead. */
function screenBody(request: ScreenBodyRequest): ScreenedBody | undefined {
  const study = studies.get(request.studyId);
  // The request thread's study must be the one loaded here, or the answers could differ.
  if (!study || study.mapping.contentHash !== request.contentHash) return undefined;
  const bytes = request.bytes;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  if (mayHoldRefusedKey(text)) return undefined;
  const body: unknown = JSON.parse(text);
  if (!isJsonObject(body) || (body['resourceType'] !== 'Bundle' && body['resourceType'] !== 'Parameters')) return undefined;
  const { record, asOf } = readScreenInput(body, {
    maxEntries: setup.maxEntries,
    queryAsOf: request.queryAsOf,
    today: request.today,
    deadline: request.deadline,
  });
  const [screened] = screenStudies([study], record, asOf, setup.canonicalBase);
  if (!screened) return undefined;
  return { resourceType: body['resourceType'], asOf, subject: toStoredSubject(screened.evaluation, screened.resource) };
}

serveRequests(screenBody);
