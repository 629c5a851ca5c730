// npm run bench:screen-http [-- --seconds N] [-- --warmup N] [-- --rounds N] [-- --json] [-- --cpu-prof DIR]
// POST /ResearchStudy/{study}/$screen over loopback HTTP with autocannon, against a route that
// only parses the same body, on a real Synthea patient (bench/synthea-patient.ts, 347 resources).
// The service runs as `npm start` runs it: the compiled code, the default embedded PGlite on disk
// (a fresh temporary DATA_DIR), LOG_LEVEL info (its lines go to /dev/null), the audit trail on;
// only the per-client rate limit is off, since the benchmark is the load.
// Rows, interleaved round by round so the machine's drift falls on both routes alike:
// - parse-only and $screen, 10 connections, the same body each call;
// - the same with 64 different patients (the patient id renamed throughout), so each call
//   stores a row of its own;
// - $screen, 1 connection: unloaded latency.
// Goal (2-core machine): at 10 connections, $screen ≥ 0.5 of the parse-only route's answers.

import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/http/logger.js';
import { loadStudies } from '../src/screening/study-registry.js';
import { openStore } from '../src/storage/open-store.js';
import { SYNTHEA_ADULT, SYNTHEA_AS_OF, syntheaBundle } from './synthea-patient.js';
import { autocannon } from './autocannon.js';


const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const asJson = args.includes('--json');
const seconds = option('--seconds', 5);
const warmupSeconds = option('--warmup', 10);
const rounds = option('--rounds', 3);
const profileAt = args.indexOf('--cpu-prof');
const profileDir = profileAt >= 0 ? args[profileAt + 1] : undefined;
const study = 'belimumab-iim';

// The service, in a child process so autocannon does not share its event loop. It starts as
// server.ts does, plus the parse-only route; its address comes back on fd 3, since stdout
// carries its log lines.
if (args.includes('--serve')) {
  const dataDir = args[args.indexOf('--serve') + 1]!;
  const config = loadConfig({ ...process.env, HOST: '127.0.0.1', PORT: '0', RATE_LIMIT_MAX: '0', DATA_DIR: dataDir });
  const store = await openStore({ dataDir: config.dataDir, role: 'the screen-http benchmark' });
  const app = buildApp({ config, store, studies: await loadStudies(config.mappingsDir), logger: createLogger(config.logLevel) });
  // The baseline: the same bytes through fastify's JSON parser, and nothing else.
  app.post('/bench/parse-only', async (_request, reply) => reply.type('application/json').send('{}'));
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  createWriteStream('', { fd: 3 }).end(`${address}\n`);
  process.once('SIGTERM', () => void app.close().then(() => store.close()).then(() => process.exit(0)));
  await new Promise(() => undefined);
}

const dataDir = mkdtempSync(join(tmpdir(), 'screen-http-bench-'));
const profileFlags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
const child = spawn(process.execPath, [...process.execArgv, ...profileFlags, fileURLToPath(import.meta.url), '--serve', dataDir], {
  stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
});
let exited = false;
child.once('exit', () => {
  exited = true;
});
// Whatever ends this run, the service and its data go with it.
process.once('exit', () => {
  child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});
const url = await new Promise<string>((resolve, reject) => {
  child.once('exit', (code) => reject(new Error(`the service exited (${String(code)})`)));
  createInterface({ input: child.stdio[3] as Readable }).once('line', (line) => resolve(line.replace('localhost', '127.0.0.1')));
});

const bundle = syntheaBundle();
const body = JSON.stringify(bundle);
const manyPatients = Array.from({ length: 64 }, (_, k) => body.split(SYNTHEA_ADULT).join(`${SYNTHEA_ADULT}-${k}`));
const screenPath = `/ResearchStudy/${study}/$screen?asOf=${SYNTHEA_AS_OF}`;

// One call first: the benchmark measures answers, so it must be one.
const first = await fetch(`${url}${screenPath}`, { method: 'POST', headers: { 'content-type': 'application/fhir+json' }, body });
const firstBody = (await first.json()) as { resourceType?: string; status?: string };
if (first.status !== 200 || firstBody.resourceType !== 'ResearchSubject') throw new Error(`$screen answered ${first.status} ${String(firstBody.resourceType)}`);

/** CPU seconds of the service so far: all its threads, or its request (main) thread (Linux /proc). */
function cpuSeconds(task?: 'main'): number | undefined {
  const path = task ? `/proc/${child.pid}/task/${child.pid}/stat` : `/proc/${child.pid}/stat`;
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

interface Row {
  scenario: string;
  round: number;
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

async function run(path: string, bodies: string | string[], connections: number, duration: number): Promise<Omit<Row, 'scenario' | 'round'>> {
  const list = typeof bodies === 'string' ? [bodies] : bodies;
  const contentType = path.startsWith('/bench') ? 'application/json' : 'application/fhir+json';
  const headers = { 'content-type': contentType };
  const before = [cpuSeconds(), cpuSeconds('main')];
  const r = await autocannon({
    url: `${url}${path}`,
    method: 'POST',
    headers,
    ...(list.length === 1 ? { body: list[0] } : { requests: list.map((b) => ({ method: 'POST', path, headers, body: b })) }),
    connections,
    duration,
  });
  const after = [cpuSeconds(), cpuSeconds('main')];
  const answered = r['2xx'] + r.non2xx;
  const perCall = (i: number): number | undefined =>
    before[i] === undefined || after[i] === undefined || answered === 0 ? undefined : Math.round(((after[i]! - before[i]!) * 100_000) / answered) / 100;
  return {
    connections,
    p50: r.latency.p50,
    p99: r.latency.p99,
    rps: Math.round(r.requests.average),
    ok: r['2xx'],
    non2xx: r.non2xx + r.errors + r.timeouts,
    cpuMs: perCall(0),
    requestThreadMs: perCall(1),
  };
}

const rows: Row[] = [];
const ratios: { same: number[]; many: number[] } = { same: [], many: [] };
const ratio = (screen: Row, parse: Row): number => Math.round((screen.ok / Math.max(parse.ok, 1)) * 100) / 100;

// Warm-up: JIT (the criteria and the route reach V8's optimising compiler only after thousands
// of calls), the database's caches, the connections.
await run(screenPath, body, 10, warmupSeconds);
await run(screenPath, manyPatients, 10, 2);
await run('/bench/parse-only', body, 10, 2);
for (let round = 1; round <= rounds; round++) {
  const parseSame = { scenario: 'parse-only (same body)', round, ...(await run('/bench/parse-only', body, 10, seconds)) };
  const screenSame = { scenario: '$screen (same body)', round, ...(await run(screenPath, body, 10, seconds)) };
  const parseMany = { scenario: 'parse-only, 64 patients', round, ...(await run('/bench/parse-only', manyPatients, 10, seconds)) };
  const screenMany = { scenario: '$screen, 64 patients', round, ...(await run(screenPath, manyPatients, 10, seconds)) };
  rows.push(parseSame, screenSame, parseMany, screenMany);
  ratios.same.push(ratio(screenSame, parseSame));
  ratios.many.push(ratio(screenMany, parseMany));
}
rows.push({ scenario: '$screen, unloaded', round: 0, ...(await run(screenPath, body, 1, seconds)) });

child.kill('SIGTERM');
if (!exited) await new Promise((resolve) => child.once('exit', resolve));

const range = (xs: number[]): string => (xs.length === 0 ? '' : `${Math.min(...xs)}–${Math.max(...xs)}`);
if (asJson) {
  console.log(JSON.stringify({ node: process.version, seconds, rounds, resources: bundle.entry.length, bodyBytes: Buffer.byteLength(body), ratios, rows }));
} else {
  console.log(
    `node ${process.version}, ${rounds} rounds of ${seconds}s per row after ${warmupSeconds}s of warm-up, loopback, PGlite in a fresh DATA_DIR; ` +
      `Synthea patient of ${bundle.entry.length} resources, ${Buffer.byteLength(body)} bytes; study ${study}, asOf ${SYNTHEA_AS_OF}`,
  );
  console.log('| scenario | round | connections | p50 ms | p99 ms | req/s | 2xx | non-2xx | service CPU ms/call | request thread ms/call |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.round || ''} | ${r.connections} | ${r.p50} | ${r.p99} | ${r.rps} | ${r.ok} | ${r.non2xx} | ${r.cpuMs ?? ''} | ${r.requestThreadMs ?? ''} |`);
  }
  console.log(`$screen / parse-only 2xx answers at 10 connections: same body ${ratios.same.join(', ')} (${range(ratios.same)}); 64 patients ${ratios.many.join(', ')} (${range(ratios.many)})`);
}
