// npm run generate -- --patients N --seed S --out DIR [--study belimumab-iim|glp1-ckd|both]
//   [--bundles] [--myositis-rate 0.01] [--t2d-rate 0.1] [--as-of YYYY-MM-DD]
// Writes a synthetic FHIR Bulk Data cohort (tools/cohort) and prints a one-line JSON summary.
// One population serves both studies by default: ~1 % myositis patients (belimumab-iim) and
// ~10 % of adults with type 2 diabetes (glp1-ckd); `--study` keeps one study's population and
// leaves the other's out. scenarios.ndjson names each study patient's scenario.
// The cohort's dates are relative to --as-of, by default today (UTC): the day the finder and
// $screen screen on by default, so a fresh cohort screened with defaults meets its scenarios.

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MYOSITIS_RATE, DEFAULT_T2D_RATE } from '../tools/cohort/generate-cohort.js';
import { todayUtc } from '../src/http/today-utc.js';
import { writeCohort } from '../tools/cohort/write-cohort.js';

const USAGE =
  'usage: npm run generate -- --patients N --seed S --out DIR [--study belimumab-iim|glp1-ckd|both (default: both)] [--bundles] ' +
  '[--myositis-rate 0.01] [--t2d-rate 0.1 (share of adults)] [--as-of YYYY-MM-DD (default: today, UTC)]';

/** Which studies' populations each --study value keeps. */
const STUDIES = new Map([
  ['both', { myositis: true, t2d: true }],
  ['belimumab-iim', { myositis: true, t2d: false }],
  ['glp1-ckd', { myositis: false, t2d: true }],
]);

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      patients: { type: 'string' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      bundles: { type: 'boolean', default: false },
      study: { type: 'string', default: 'both' },
      'myositis-rate': { type: 'string', default: String(DEFAULT_MYOSITIS_RATE) },
      't2d-rate': { type: 'string', default: String(DEFAULT_T2D_RATE) },
      'as-of': { type: 'string', default: todayUtc() },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (e) {
  fail((e as Error).message);
}
if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const patients = Number(values.patients);
if (!values.patients || !Number.isInteger(patients) || patients < 0) fail('--patients must be a non-negative integer');
if (!values.out) fail('--out is required');
const studies = STUDIES.get(values.study!);
if (!studies) fail(`--study must be one of ${[...STUDIES.keys()].join(', ')}`);
const myositisRate = Number(values['myositis-rate']);
if (!(myositisRate >= 0 && myositisRate <= 1)) fail('--myositis-rate must be between 0 and 1');
const t2dRate = Number(values['t2d-rate']);
if (!(t2dRate >= 0 && t2dRate <= 1)) fail('--t2d-rate must be between 0 and 1');

const started = performance.now();
const every = Math.max(1000, Math.floor(patients / 20));
try {
  const summary = writeCohort(
    {
      patients,
      seed: values.seed!,
      asOf: values['as-of'],
      myositisRate: studies.myositis ? myositisRate : 0,
      t2dRate: studies.t2d ? t2dRate : 0,
      bundles: values.bundles,
      onPatient: values.quiet ? undefined : (i) => {
        if ((i + 1) % every === 0) process.stderr.write(`${i + 1}/${patients} patients\n`);
      },
    },
    values.out,
  );
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({
      out: values.out,
      asOf: values['as-of'],
      study: values.study,
      ...summary,
      resourcesPerPatient: summary.patients ? Math.round((summary.resources / summary.patients) * 10) / 10 : 0,
      seconds: Math.round(seconds * 100) / 100,
      patientsPerSecond: Math.round(summary.patients / seconds),
    }) + '\n',
  );
} catch (e) {
  fail((e as Error).message);
}
