// npm run generate -- --patients N --seed S --out DIR [--bundles] [--myositis-rate 0.01] [--as-of YYYY-MM-DD]
// Writes a synthetic FHIR Bulk Data cohort (src/cohort) and prints a one-line JSON summary.
// The cohort's dates are relative to --as-of, by default today (UTC): the day the finder and
// $screen screen on by default, so a fresh cohort screened with defaults meets its scenarios.

import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DEFAULT_MYOSITIS_RATE } from '../src/cohort/generate-cohort.js';
import { todayUtc } from '../src/http/today-utc.js';
import { writeCohort } from '../src/cohort/write-cohort.js';

const USAGE =
  'usage: npm run generate -- --patients N --seed S --out DIR [--bundles] [--myositis-rate 0.01] [--as-of YYYY-MM-DD (default: today, UTC)]';

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
      'myositis-rate': { type: 'string', default: String(DEFAULT_MYOSITIS_RATE) },
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
const rate = Number(values['myositis-rate']);
if (!(rate >= 0 && rate <= 1)) fail('--myositis-rate must be between 0 and 1');

const started = performance.now();
const every = Math.max(1000, Math.floor(patients / 20));
try {
  const summary = writeCohort(
    {
      patients,
      seed: values.seed!,
      asOf: values['as-of'],
      myositisRate: rate,
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
      ...summary,
      resourcesPerPatient: summary.patients ? Math.round((summary.resources / summary.patients) * 10) / 10 : 0,
      seconds: Math.round(seconds * 100) / 100,
      patientsPerSecond: Math.round(summary.patients / seconds),
    }) + '\n',
  );
} catch (e) {
  fail((e as Error).message);
}
