// A CDS call whose data cannot be had answers 412 incomplete saying what the caller can fix:
// the prefetch keys it did not provide, and which fetch from fhirServer failed (its host and
// the HTTP status or the kind of failure), never the access token. Real HTTP both ways: the
// service listens on 127.0.0.1, and the FHIR server stand-in is a real server.

import { readFileSync } from 'node:fs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { freePort } from '../helpers/free-port.js';
import { SAMPLE_OUT } from '../../scripts/cds-sample.js';
import { startFakeFhirServer } from '../helpers/fake-fhir-server.js';
import { discovery, listen, SERVICE, typicalPatient, type Json, type Listening } from './setup.js';

const PATH = `/cds-services/${SERVICE}`;
const TOKEN = 'secret-access-token-0123456789';

/** The README's old sample: only `patient` and `conditions` prefetched, the rest to fetch. */
function twoKeyCall(fhirServer?: string, token = true): Json {
  const sample = JSON.parse(readFileSync(SAMPLE_OUT, 'utf8')) as Json & { prefetch: Json };
  const call: Json = { ...sample, hookInstance: crypto.randomUUID(), prefetch: { patient: sample.prefetch['patient'], conditions: sample.prefetch['conditions'] } };
  if (fhirServer !== undefined) call['fhirServer'] = fhirServer;
  if (token) call['fhirAuthorization'] = { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds-service' };
  return call;
}

async function incompleteText(app: Listening, body: Json): Promise<string> {
  const response = await app.post(PATH, body);
  expect(response.status).toBe(412);
  const raw = await response.text();
  expect(raw).not.toContain(TOKEN);
  const outcome = JSON.parse(raw) as { resourceType: string; issue: { code: string; details: { text: string; coding: { code: string }[] } }[] };
  expect(outcome.resourceType).toBe('OperationOutcome');
  expect(outcome.issue[0]).toMatchObject({ code: 'incomplete', details: { coding: [{ code: 'PRESCREEN_CDS_DATA_UNAVAILABLE' }] } });
  return outcome.issue[0]!.details.text;
}


describe('412 incomplete names the missing keys and the failed fetch', () => {
  it('lists the keys not provided and the fetch that failed: HTTP status, network error, no fhirServer, no token', async () => {
    const app = await listen();
    const missing = Object.keys((await discovery(app)).prefetch).filter((k) => k !== 'patient' && k !== 'conditions');
    const listed = `Prefetch keys not provided: ${missing.join(', ')}.`;

    const { resources } = typicalPatient();
    const failing = await startFakeFhirServer(resources, { failStatus: 401 });
    onTestFinished(() => failing.close());
    const host = new URL(failing.base).host;
    const status = await incompleteText(app, twoKeyCall(failing.base));
    expect(status).toContain(listed);
    const fetchFailed = new RegExp(`Fetching (\\w+) from ${host.replace(/\./g, '\\.')} failed: HTTP 401\\.$`);
    expect(status).toMatch(fetchFailed);
    expect(missing).toContain(fetchFailed.exec(status)![1]);
    // The host only: the path and query (which name the patient) are not repeated.
    expect(status).not.toContain('/fhir');
    expect(status).not.toContain('example-pat');

    const port = await freePort(); // nothing listens on it once released
    const network = await incompleteText(app, twoKeyCall(`http://127.0.0.1:${port}/fhir`));
    expect(network).toContain(listed);
    expect(network).toMatch(new RegExp(`from 127\\.0\\.0\\.1:${port} failed: a network error`));

    const noServer = await incompleteText(app, twoKeyCall(undefined, false));
    expect(noServer).toBe(`The data needed to screen this patient could not be obtained. ${listed} No fhirServer was given to fetch them from.`);

    const noToken = await incompleteText(app, twoKeyCall(failing.base, false));
    expect(noToken).toMatch(/No fhirAuthorization access token was given/);
  });

  it('says when the fetch timed out, and when fhirServer is not allowed', async () => {
    const { resources } = typicalPatient();
    const slow = await startFakeFhirServer(resources, { delayMs: 1000 });
    onTestFinished(() => slow.close());
    const app = await listen({ CDS_FHIR_TIMEOUT_MS: '100', CDS_FHIR_DEADLINE_MS: '300' });
    expect(await incompleteText(app, twoKeyCall(slow.base))).toMatch(/failed: no answer in time \(CDS_FHIR_TIMEOUT_MS/);

    const strict = await listen({ CDS_FHIR_ALLOWLIST: 'https://ehr.example.org' });
    const text = await incompleteText(strict, twoKeyCall(slow.base));
    expect(text).toContain(`This service may not fetch from ${new URL(slow.base).host}`);
    expect(text).toContain('CDS_FHIR_ALLOWLIST');
  });

  it('says when the prefetch gives no Patient', async () => {
    const app = await listen();
    const call = JSON.parse(readFileSync(SAMPLE_OUT, 'utf8')) as Json & { prefetch: Json };
    call.prefetch['patient'] = null;
    expect(await incompleteText(app, call)).toMatch(/Neither the prefetch nor fhirServer gave the Patient\.$/);
  });
});
