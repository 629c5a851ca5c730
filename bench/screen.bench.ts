// npm run bench [-- --json] [-- --seconds N]
// Screens the generated typical myositis patient (~300 resources) and a large one (the same
// patient padded to ~3,000 resources with routine history) in-process, from the request bytes
// to the rendered ResearchSubject, and compares with:
// - JSON.parse of the same bytes: ratioToJsonParse = parse time / screening time; screening
//   includes the parse, so 1.0 is the ceiling and the goal is ≥ 0.5 (the engine costs no more
//   than reading its input);
// - the naive design (bench/naive-screen.ts: each criterion an uncompiled fhirpath.evaluate over
//   the whole Bundle): ratioToNaive = naive time / screening time, goal ≥ 50.

import { fileURLToPath } from 'node:url';
import { typicalMyositisPatient } from '../src/cohort/typical-myositis-patient.js';
import { buildPatientRecord } from '../src/ingest/build-patient-record.js';
import { renderResearchSubject } from '../src/render/research-subject.js';
import { screenPatient } from '../src/screening/screen-patient.js';
import { loadStudies } from '../src/screening/study-registry.js';
import { naiveScreen } from './naive-screen.js';
import { typicalPatientBundle } from './typical-patient.js';

interface Figures {
  resources: number;
  bytes: number;
  status: string;
  patientsPerSecond: number;
  jsonParsePerSecond: number;
  naivePerSecond: number;
  ratioToJsonParse: number;
  ratioToNaive: number;
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const secondsArg = args.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 2;

const studies = loadStudies(fileURLToPath(new URL('../fhir-mappings', import.meta.url)));
const study = studies.get('belimumab-iim')!;
const asOf = '2026-10-26';
const canonicalBase = 'https://fhir-prescreen.org';

/**
 * Calls per second of fn over about `budgetMs`, after a warm-up of at least `warmUp` calls and
 * a quarter of the budget: 20 calls of the typical patient take ~50 ms, before V8 has optimised
 * the hot paths, so a count alone measured mostly the warm-up. The same holds for JSON.parse
 * and the naive design, so the ratios compare steady states.
 */
function rate(fn: () => void, budgetMs: number, warmUp = 20): number {
  const warmStart = performance.now();
  for (let i = 0; i < warmUp || performance.now() - warmStart < budgetMs / 4; i++) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    fn();
    calls += 1;
    elapsed = performance.now() - start;
  }
  return (calls * 1000) / elapsed;
}

function screenBytes(bytes: string): string {
  const record = buildPatientRecord(JSON.parse(bytes));
  const evaluation = screenPatient(study, record, asOf);
  return JSON.stringify(renderResearchSubject(evaluation, { canonicalBase }));
}

function measure(bundle: Record<string, unknown>): Figures {
  const bytes = JSON.stringify(bundle);
  const budget = seconds * 1000;
  let sink = 0;
  const jsonParsePerSecond = rate(() => {
    sink += (JSON.parse(bytes) as { entry: unknown[] }).entry.length;
  }, budget);
  const patientsPerSecond = rate(() => {
    sink += screenBytes(bytes).length;
  }, budget);
  const naivePerSecond = rate(() => {
    sink += naiveScreen(bytes);
  }, budget, 2);
  if (sink < 0) console.log(sink);
  return {
    resources: (bundle.entry as unknown[]).length,
    bytes: Buffer.byteLength(bytes),
    status: (JSON.parse(screenBytes(bytes)) as { status: string }).status,
    patientsPerSecond: Math.round(patientsPerSecond),
    jsonParsePerSecond: Math.round(jsonParsePerSecond),
    naivePerSecond: Math.round(naivePerSecond * 10) / 10,
    ratioToJsonParse: Math.round((patientsPerSecond / jsonParsePerSecond) * 100) / 100,
    ratioToNaive: Math.round(patientsPerSecond / naivePerSecond),
  };
}

const typicalBundle = typicalMyositisPatient(1, asOf) as unknown as Record<string, unknown>;
const typical = measure(typicalBundle);
const large = measure(typicalPatientBundle(3000 - (typicalBundle.entry as unknown[]).length, 7, typicalBundle));

if (asJson) {
  console.log(JSON.stringify({ patientsPerSecond: typical.patientsPerSecond, ratioToJsonParse: typical.ratioToJsonParse, typical, large }));
} else {
  console.log(`node ${process.version}, ${seconds}s per measurement, asOf ${asOf}`);
  console.log('| patient | resources | bytes | status | patients/s | JSON.parse/s | naive/s | ratio to JSON.parse | ratio to naive |');
  console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, f] of [['typical', typical], ['large', large]] as const) {
    console.log(
      `| ${name} | ${f.resources} | ${f.bytes} | ${f.status} | ${f.patientsPerSecond} | ${f.jsonParsePerSecond} | ${f.naivePerSecond} | ${f.ratioToJsonParse} | ${f.ratioToNaive}× |`,
    );
  }
}
