// npm run bench [-- --json] [-- --seconds N] [-- --warmup N]
// Screens the generated typical myositis patient (~300 resources), a large one (the same
// patient padded to ~3,000 resources with routine history) and a typical type 2 diabetes / CKD
// patient against glp1-ckd, in-process, from the request bytes
// to the rendered ResearchSubject, and compares with:
// - JSON.parse of the same bytes: ratioToJsonParse = parse time / screening time; screening
//   includes the parse, so 1.0 is the ceiling and the goal is ≥ 0.5 (the engine costs no more
//   than reading its input);
// - the naive design (bench/naive-screen.ts: each criterion an uncompiled fhirpath.evaluate over
//   the whole Bundle): ratioToNaive = naive time / screening time, goal ≥ 50.

import { join } from 'node:path';
import { projectRoot } from '../src/config.js';
import { typicalMyositisPatient } from '../tools/cohort/typical-myositis-patient.js';
import { typicalT2dCkdPatient } from '../tools/cohort/typical-t2d-patient.js';
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
const warmupArg = args.indexOf('--warmup');
const warmupSeconds = warmupArg >= 0 ? Number(args[warmupArg + 1]) : 10;

const studies = await loadStudies(join(projectRoot(), 'fhir-mappings'));
const myositis = studies.get('belimumab-iim')!;
const diabetesCkd = studies.get('glp1-ckd')!;
const asOf = '2026-10-26';
const canonicalBase = 'https://fhir-prescreen.org';

/**
 * Milliseconds per call of each function, measured in interleaved rounds. A machine's speed
 * can drift over seconds (other tenants, frequency), so timing each function in its own
 * stretch of time would make the ratios swing between identical runs. In rounds, each
 * function runs for a short slice in turn, so drift hits them alike; each answer is the median
 * over rounds. Warm-up comes first and is discarded: a quarter of the budget, or `warmupMs` when
 * longer.
 */
function perCallMs(fns: (() => void)[], budgetMs: number, sliceMs: number, warmupMs = 0): number[] {
  const samples: number[][] = fns.map(() => []);
  const runSlice = (fn: () => void): number => {
    let calls = 0;
    const start = performance.now();
    let elapsed = 0;
    while (elapsed < sliceMs || calls === 0) {
      fn();
      calls += 1;
      elapsed = performance.now() - start;
    }
    return elapsed / calls;
  };
  const warmUntil = performance.now() + Math.max(budgetMs / 4, warmupMs);
  while (performance.now() < warmUntil) for (const fn of fns) runSlice(fn);
  const until = performance.now() + budgetMs;
  while (performance.now() < until || samples[0]!.length < 5) {
    fns.forEach((fn, i) => samples[i]!.push(runSlice(fn)));
  }
  return samples.map(median);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type Study = typeof myositis;

function screenBytes(study: Study, bytes: string): string {
  const record = buildPatientRecord(JSON.parse(bytes));
  const evaluation = screenPatient(study, record, asOf);
  return JSON.stringify(renderResearchSubject(evaluation, { canonicalBase }));
}

/** The naive design (naive-screen.ts) is written for belimumab-iim only: other studies get no naive series. */
function measure(study: Study, bundle: Record<string, unknown>, withNaive = study === myositis): Figures {
  const bytes = JSON.stringify(bundle);
  const budget = seconds * 1000;
  let sink = 0;
  const parse = () => {
    sink += (JSON.parse(bytes) as { entry: unknown[] }).entry.length;
  };
  const screen = () => {
    sink += screenBytes(study, bytes).length;
  };
  // Parse and screening alternate in 50 ms slices. The naive design (far slower a call)
  // alternates with screening in 250 ms slices of its own series: call by call, each screening
  // would run straight after a naive call and pay for collecting its garbage, which would make
  // screening look slower there than in the parse series.
  // The long warm-up is for V8, not for caches: a function is optimised once it has run enough,
  // and the criteria, the render and the per-patient steps run once a patient, so they reach the
  // optimising compiler only after a few thousand patients (hence --warmup's default; screening
  // is slower until then). A service that screens all day runs at the speed after it.
  const [parseMs, screenMs] = perCallMs([parse, screen], budget, 50, warmupSeconds * 1000) as [number, number];
  const [naiveMs, screenMsAgain] = withNaive
    ? (perCallMs([() => (sink += naiveScreen(bytes)), screen], budget, 250) as [number, number])
    : [Number.NaN, Number.NaN];
  if (sink < 0) console.log(sink);
  return {
    resources: (bundle.entry as unknown[]).length,
    bytes: Buffer.byteLength(bytes),
    status: (JSON.parse(screenBytes(study, bytes)) as { status: string }).status,
    patientsPerSecond: Math.round(1000 / screenMs),
    jsonParsePerSecond: Math.round(1000 / parseMs),
    naivePerSecond: Math.round((1000 / naiveMs) * 10) / 10,
    ratioToJsonParse: Math.round((parseMs / screenMs) * 100) / 100,
    ratioToNaive: Math.round(naiveMs / screenMsAgain),
  };
}

const typicalBundle = typicalMyositisPatient(1, asOf) as unknown as Record<string, unknown>;
const typical = measure(myositis, typicalBundle);
const large = measure(myositis, typicalPatientBundle(3000 - (typicalBundle.entry as unknown[]).length, 7, typicalBundle));
const t2dCkd = measure(diabetesCkd, typicalT2dCkdPatient(1, asOf) as unknown as Record<string, unknown>);

if (asJson) {
  console.log(JSON.stringify({ patientsPerSecond: typical.patientsPerSecond, ratioToJsonParse: typical.ratioToJsonParse, typical, large, t2dCkd }));
} else {
  console.log(`node ${process.version}, ${seconds}s per measurement after ${warmupSeconds}s of warm-up, asOf ${asOf}`);
  console.log('| patient | resources | bytes | status | patients/s | JSON.parse/s | naive/s | ratio to JSON.parse | ratio to naive |');
  console.log('| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const [name, f] of [['typical (belimumab-iim)', typical], ['large (belimumab-iim)', large], ['typical T2D/CKD (glp1-ckd)', t2dCkd]] as const) {
    const naive = Number.isNaN(f.naivePerSecond) ? '—' : String(f.naivePerSecond);
    const toNaive = Number.isNaN(f.ratioToNaive) ? '—' : `${f.ratioToNaive}×`;
    console.log(
      `| ${name} | ${f.resources} | ${f.bytes} | ${f.status} | ${f.patientsPerSecond} | ${f.jsonParsePerSecond} | ${naive} | ${f.ratioToJsonParse} | ${toNaive} |`,
    );
  }
}
