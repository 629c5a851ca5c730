// npm run bench [-- --json] [-- --seconds N]
// Screens a typical (~300 resources) and a large (~3,000 resources) patient in-process, from
// the request bytes to the rendered ResearchSubject, and compares with JSON.parse of the same
// bytes: ratioToJsonParse = parse time / screening time (screening includes the parse, so 1.0
// is the ceiling; the goal is ≥ 0.5: the engine costs no more than reading its input).

import { fileURLToPath } from 'node:url';
import { buildPatientRecord } from '../src/ingest/build-patient-record.js';
import { renderResearchSubject } from '../src/render/research-subject.js';
import { screenPatient } from '../src/screening/screen-patient.js';
import { loadStudies } from '../src/screening/study-registry.js';
import { typicalPatientBundle } from './typical-patient.js';

interface Figures {
  resources: number;
  bytes: number;
  patientsPerSecond: number;
  jsonParsePerSecond: number;
  ratioToJsonParse: number;
}

const args = process.argv.slice(2);
const asJson = args.includes('--json');
const secondsArg = args.indexOf('--seconds');
const seconds = secondsArg >= 0 ? Number(args[secondsArg + 1]) : 2;

const studies = loadStudies(fileURLToPath(new URL('../fhir-mappings', import.meta.url)));
const study = studies.get('belimumab-iim')!;
const asOf = '2026-10-26';
const canonicalBase = 'https://fhir-prescreen.org';

/** Runs fn repeatedly for about `budgetMs` (after a warm-up) and returns calls per second. */
function rate(fn: () => void, budgetMs: number): number {
  for (let i = 0; i < 20; i++) fn();
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
    elapsed = performance.now() - start;
  }
  return (calls * 1000) / elapsed;
}

function measure(extra: number): Figures {
  const bundle = typicalPatientBundle(extra);
  const bytes = JSON.stringify(bundle);
  const budget = seconds * 1000;
  let sink = 0;
  const jsonParsePerSecond = rate(() => {
    sink += (JSON.parse(bytes) as { entry: unknown[] }).entry.length;
  }, budget);
  const patientsPerSecond = rate(() => {
    const record = buildPatientRecord(JSON.parse(bytes));
    const evaluation = screenPatient(study, record, asOf);
    sink += JSON.stringify(renderResearchSubject(evaluation, { canonicalBase })).length;
  }, budget);
  if (sink < 0) console.log(sink);
  return {
    resources: (bundle.entry as unknown[]).length,
    bytes: Buffer.byteLength(bytes),
    patientsPerSecond: Math.round(patientsPerSecond),
    jsonParsePerSecond: Math.round(jsonParsePerSecond),
    ratioToJsonParse: Math.round((patientsPerSecond / jsonParsePerSecond) * 100) / 100,
  };
}

const typical = measure(280);
const large = measure(2980);

if (asJson) {
  console.log(JSON.stringify({ patientsPerSecond: typical.patientsPerSecond, ratioToJsonParse: typical.ratioToJsonParse, typical, large }));
} else {
  console.log(`node ${process.version}, ${seconds}s per measurement, asOf ${asOf}`);
  console.log('| patient | resources | bytes | patients/s | JSON.parse/s | ratio to JSON.parse |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, f] of [['typical', typical], ['large', large]] as const) {
    console.log(`| ${name} | ${f.resources} | ${f.bytes} | ${f.patientsPerSecond} | ${f.jsonParsePerSecond} | ${f.ratioToJsonParse} |`);
  }
}
