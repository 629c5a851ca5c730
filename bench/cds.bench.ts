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
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/http/logger.js';
import { loadStudies } from '../src/screening/study-registry.js';
import { openStore } from '../src/storage/open-store.js';
import { startFakeFhirServer } from '../test/helpers/fake-fhir-server.js';
import { typicalPatientBundle } from './typical-patient.js';
import { autocannon, type AutocannonResult } from './autocannon.js';


type Json = Record<string, unknown>;

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const secondsArg = args.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 5;
const warmupArg = args.indexOf('--warmup');
const warmupSeconds = warmupArg >= 0 ? Number(args[warmupArg + 1]) : 10;

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

/**
 * CPU seconds the service process has used so far, all its threads (Linux /proc; undefined
 * elsewhere). Per answered call it is a figure a busy machine disturbs far less than req/s:
 * other tenants take wall time from both routes unevenly, but not CPU time from each call.
 */
function serviceCpuSeconds(): number | undefined {
  return cpuSecondsOf(`/proc/${child.pid}/stat`);
}

/**
 * The same for the service's request thread alone (its main thread, whose task id is the
 * process id): the thread that receives, stores and answers every call, and the one that
 * saturates first under load.
 */
function requestThreadCpuSeconds(): number | undefined {
  return cpuSecondsOf(`/proc/${child.pid}/task/${child.pid}/stat`);
}

function cpuSecondsOf(statPath: string): number | undefined {
  try {
    const fields = readFileSync(statPath, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

let lastCpuMsPerCall: number | undefined;
let lastRequestThreadMsPerCall: number | undefined;

async function run(path: string, body: string | string[], connections: number, duration = seconds): Promise<AutocannonResult> {
  const bodies = typeof body === 'string' ? [body] : body;
  const cpuBefore = serviceCpuSeconds();
  const threadBefore = requestThreadCpuSeconds();
  const result = await autocannon({
    url: `${url}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    ...(bodies.length === 1 ? { body: bodies[0] } : { requests: bodies.map((b) => ({ method: 'POST', path, headers: { 'content-type': 'application/json' }, body: b })) }),
    connections,
    duration,
  });
  const cpuAfter = serviceCpuSeconds();
  const threadAfter = requestThreadCpuSeconds();
  const answered = result['2xx'] + result.non2xx;
  const perCall = (before: number | undefined, after: number | undefined): number | undefined =>
    before === undefined || after === undefined || answered === 0 ? undefined : Math.round(((after - before) * 1000 * 100) / answered) / 100;
  lastCpuMsPerCall = perCall(cpuBefore, cpuAfter);
  lastRequestThreadMsPerCall = perCall(threadBefore, threadAfter);
  return result;
}

interface Row {
  scenario: string;
  connections: number;
  p50: number;
  p99: number;
  rps: number;
  ok: number;
  non2xx: number;
  /** Service CPU (all threads) per answered call, ms. */
  cpuMs: number | undefined;
  /** The request thread's share of it, ms. */
  requestThreadMs: number | undefined;
}
const rows: Row[] = [];
const record = (scenario: string, connections: number, r: AutocannonResult): Row => {
  const row = { scenario, connections, p50: r.latency.p50, p99: r.latency.p99, rps: Math.round(r.requests.average), ok: r['2xx'], non2xx: r.non2xx + r.errors + r.timeouts, cpuMs: lastCpuMsPerCall, requestThreadMs: lastRequestThreadMsPerCall };
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
  const parse = record('parse-only (same body)', connections, await run('/bench/parse-only', withPrefetch, connections));
  const cds = record('patient-view, full prefetch', connections, await run(`/cds-services/${service.id}`, withPrefetch, connections));
  // Answers, not attempts: a call shed with 503 is no throughput.
  ratios[connections] = Math.round((cds.ok / Math.max(parse.ok, 1)) * 100) / 100;
}
const manyRatios: Record<number, number> = {};
for (const connections of [10, 50]) {
  const parse = record('parse-only, 64 patients', connections, await run('/bench/parse-only', manyPatients, connections));
  const cds = record('patient-view, full prefetch, 64 patients', connections, await run(`/cds-services/${service.id}`, manyPatients, connections));
  manyRatios[connections] = Math.round((cds.ok / Math.max(parse.ok, 1)) * 100) / 100;
}
// Its own warm-up: fetching, paging and merging are code paths the prefetch runs never touched.
await run(`/cds-services/${service.id}`, withoutPrefetch, 1, 1);
record('patient-view, no prefetch (local FHIR stand-in)', 1, await run(`/cds-services/${service.id}`, withoutPrefetch, 1));
record(`overload (CDS_MAX_IN_FLIGHT=${started.maxInFlight})`, 200, await run(`/cds-services/${service.id}`, withPrefetch, 200));

child.kill('SIGTERM');
await fhir.close();

if (asJson) {
  console.log(JSON.stringify({ node: process.version, seconds, prefetchedResources: prefetched, bodyBytes: Buffer.byteLength(withPrefetch), ratios, manyPatientRatios: manyRatios, rows }));
} else {
  console.log(`node ${process.version}, ${seconds}s per row after ${warmupSeconds}s of warm-up, loopback; prefetch ${prefetched} resources, ${Buffer.byteLength(withPrefetch)} bytes`);
  console.log('| scenario | connections | p50 ms | p99 ms | req/s | 2xx | non-2xx | service CPU ms/call | request thread ms/call |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.connections} | ${r.p50} | ${r.p99} | ${r.rps} | ${r.ok} | ${r.non2xx} | ${r.cpuMs ?? ''} | ${r.requestThreadMs ?? ''} |`);
  }
  console.log(`patient-view / parse-only 2xx answers: 1 conn ${ratios[1]}, 10 conns ${ratios[10]}, 50 conns ${ratios[50]}`);
  console.log(`the same with 64 different patients: 10 conns ${manyRatios[10]}, 50 conns ${manyRatios[50]}`);
}
