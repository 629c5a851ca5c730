// npm run bench:cds [-- --seconds N] [-- --warmup N] [-- --json]
// CDS Hooks patient-view over loopback HTTP with autocannon, in one run:
// - patient-view with a full prefetch of the typical patient (~300 resources), and a route that
//   only parses the same body, at 1, 10 and 50 connections; then both again at 10 and 50
//   connections with 64 different patients (each call's ResearchSubject a row of its own);
// - patient-view without prefetch, fetching from a local FHIR server stand-in, unloaded;
// - overload (200 connections): calls past CDS_MAX_IN_FLIGHT are shed at once with 503.
// Every patient-view screens, stores the ResearchSubject and records the card (in-memory PGlite).
// Goals (2-core machine): unloaded p99 < 50 ms; under load ≥ 0.5× the parse-only req/s;
// without prefetch unloaded p99 < 150 ms.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/http/logger.js';
import { loadStudies } from '../src/screening/study-registry.js';
import { openStore } from '../src/storage/open-store.js';
import { startFakeFhirServer } from '../test/helpers/fake-fhir-server.js';
import { typicalPatientBundle } from './typical-patient.js';
import { answersRatio, measure, numberOption, printTable, type Measured, type Row } from './http-load.js';


type Json = Record<string, unknown>;

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const seconds = numberOption(args, '--seconds', 5);
const warmupSeconds = numberOption(args, '--warmup', 10);

// The service runs in a child process, so autocannon (and the FHIR stand-in) do not share its
// event loop: the figures are the service's, not the load generator's.
if (args.includes('--serve')) {
  // The benchmark is the load: the per-client rate limit would turn it into 429s.
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    HOST: '127.0.0.1',
    PORT: '0',
    RATE_LIMIT_MAX: '0',
    DATABASE_URL: process.env['DATABASE_URL'],
    // To compare settings: CDS_SCREEN_THREADS=2 npm run bench:cds
    CDS_SCREEN_THREADS: process.env['CDS_SCREEN_THREADS'],
  });
  // DATABASE_URL=postgres://… measures the production set-up, where storing runs in another
  // process; unset, the embedded PGlite shares the service's thread.
  const store = config.databaseUrl ? await openStore({ databaseUrl: config.databaseUrl }) : await openStore({ inMemory: true });
  const app = buildApp({ config, store, studies: await loadStudies(config.mappingsDir), logger: createLogger('silent') });
  // The baseline: the same bytes through fastify's JSON parser, and nothing else.
  app.post('/bench/parse-only', async (_request, reply) => reply.type('application/json').send('{"cards":[]}'));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  process.stdout.write(`${JSON.stringify({ url: address, maxInFlight: config.cds.maxInFlight })}\n`);
  process.once('SIGTERM', () => void app.close().then(() => store.close()).then(() => process.exit(0)));
  await new Promise(() => undefined);
}

const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
// Whatever ends this run, the service goes with it.
process.once('exit', () => child.kill('SIGTERM'));
const started = await new Promise<{ url: string; maxInFlight: number }>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the service exited (${String(code)})`)));
  createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as { url: string; maxInFlight: number }));
});
const url = started.url.replace('localhost', '127.0.0.1');

const bundle = typicalPatientBundle() as { entry: { resource: Json }[] };
const resources = bundle.entry.map((e) => e.resource);
const patientId = String(resources[0]!['id']);
const fhir = await startFakeFhirServer(resources);

// The full prefetch: every resource of the patient under the key of its type (as an EHR that
// does not narrow Observations by code would send it); the other Observation keys are null.
const discovery = (await (await fetch(`${url}/cds-services`)).json()) as { services: { id: string; prefetch: Record<string, string> }[] };
const service = discovery.services[0]!;
const prefetch: Json = {};
for (const [key, template] of Object.entries(service.prefetch)) {
  const [path] = template.split('&');
  if (/^(observations|diagnosticReports)\d*$/.test(key) && !/^(observations1?|diagnosticReports1?)$/.test(key)) {
    prefetch[key] = null;
    continue;
  }
  prefetch[key] = await (await fetch(`${fhir.base}/${path!.split('{{context.patientId}}').join(patientId)}`)).json();
}
const count = (v: unknown): number => (v && typeof v === 'object' && Array.isArray((v as Json)['entry']) ? ((v as Json)['entry'] as unknown[]).length : v ? 1 : 0);
const prefetched = Object.values(prefetch).reduce<number>((n, v) => n + count(v), 0);
const hook = { hook: 'patient-view', hookInstance: '9a6e3a2e-4d6b-4b7e-9a43-3c1f0b4d5e6f', context: { userId: 'Practitioner/1', patientId } };
const withPrefetch = JSON.stringify({ ...hook, prefetch });
const withoutPrefetch = JSON.stringify({
  ...hook,
  fhirServer: fhir.base,
  fhirAuthorization: { access_token: 'bench-token', token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'bench' },
});

// A clinic day sees many patients: the same call for 64 patients (the patient id renamed
// throughout), each connection cycling through them.
const manyPatients = Array.from({ length: 64 }, (_, k) => withPrefetch.split(patientId).join(`${patientId}-${k}`));

const target = { url, pid: child.pid };
const run = (path: string, body: string | string[], connections: number, duration = seconds): Promise<Measured> =>
  measure(target, { path, body, contentType: 'application/json', connections, seconds: duration });

const rows: Row[] = [];
const record = (scenario: string, measured: Measured): Row => {
  const row = { scenario, ...measured };
  rows.push(row);
  return row;
};

// Warm-up: JIT, PGlite, connection pools. Ten seconds under load, as in `npm run bench`: the
// once-a-call functions (the criteria, the render, the route) reach V8's optimising compiler
// only after thousands of calls, on the screening thread and on the request thread alike.
await run(`/cds-services/${service.id}`, withPrefetch, 10, warmupSeconds);
await run('/bench/parse-only', withPrefetch, 10, 2);
const ratios: Record<number, number> = {};
for (const connections of [1, 10, 50]) {
  const parse = record('parse-only (same body)', await run('/bench/parse-only', withPrefetch, connections));
  const cds = record('patient-view, full prefetch', await run(`/cds-services/${service.id}`, withPrefetch, connections));
  ratios[connections] = answersRatio(cds, parse);
}
const manyRatios: Record<number, number> = {};
for (const connections of [10, 50]) {
  const parse = record('parse-only, 64 patients', await run('/bench/parse-only', manyPatients, connections));
  const cds = record('patient-view, full prefetch, 64 patients', await run(`/cds-services/${service.id}`, manyPatients, connections));
  manyRatios[connections] = answersRatio(cds, parse);
}
// Its own warm-up: fetching, paging and merging are code paths the prefetch runs never touched.
await run(`/cds-services/${service.id}`, withoutPrefetch, 1, 1);
record('patient-view, no prefetch (local FHIR stand-in)', await run(`/cds-services/${service.id}`, withoutPrefetch, 1));
record(`overload (CDS_MAX_IN_FLIGHT=${started.maxInFlight})`, await run(`/cds-services/${service.id}`, withPrefetch, 200));

child.kill('SIGTERM');
await fhir.close();

if (asJson) {
  console.log(JSON.stringify({ node: process.version, seconds, prefetchedResources: prefetched, bodyBytes: Buffer.byteLength(withPrefetch), ratios, manyPatientRatios: manyRatios, rows }));
} else {
  console.log(`node ${process.version}, ${seconds}s per row after ${warmupSeconds}s of warm-up, loopback; prefetch ${prefetched} resources, ${Buffer.byteLength(withPrefetch)} bytes`);
  printTable(rows, [['scenario', (r) => r.scenario]]);
  console.log(`patient-view / parse-only 2xx answers: 1 conn ${ratios[1]}, 10 conns ${ratios[10]}, 50 conns ${ratios[50]}`);
  console.log(`the same with 64 different patients: 10 conns ${manyRatios[10]}, 50 conns ${manyRatios[50]}`);
}
