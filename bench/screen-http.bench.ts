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
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
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
import { answersRatio, measure, numberOption, printTable, type Measured, type Row } from './http-load.js';


const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => numberOption(args, name, fallback);
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

const target = { url, pid: child.pid };
// The parse-only route takes plain JSON; $screen takes FHIR JSON.
const run = (path: string, body: string | string[], connections: number, duration: number): Promise<Measured> =>
  measure(target, { path, body, contentType: path.startsWith('/bench') ? 'application/json' : 'application/fhir+json', connections, seconds: duration });

const rows: (Row & { round: number })[] = [];
const ratios: { same: number[]; many: number[] } = { same: [], many: [] };

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
  ratios.same.push(answersRatio(screenSame, parseSame));
  ratios.many.push(answersRatio(screenMany, parseMany));
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
  printTable(rows, [
    ['scenario', (r) => r.scenario],
    // Round 0 is the unloaded row, outside the rounds.
    ['round', (r) => r.round || ''],
  ]);
  console.log(`$screen / parse-only 2xx answers at 10 connections: same body ${ratios.same.join(', ')} (${range(ratios.same)}); 64 patients ${ratios.many.join(', ')} (${range(ratios.many)})`);
}
