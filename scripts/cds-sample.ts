// npm run cds-sample [-- [--study ID | --all-studies] <bundle.json> [<out.json>]]: writes a CDS Hooks
// patient-view request whose prefetch holds every key of the study's service
// (`<study>-prescreen`; any folder under MAPPINGS_DIR, default belimumab-iim), or with
// --all-studies of `trials-prescreen` (every study's templates), answered from one patient's Bundle
// as a FHIR server would answer the service's own prefetch templates (prefetch-templates.ts):
// the read of the Patient, and each `<Type>?patient=<id>` search as a searchset Bundle (empty
// when nothing matches), narrowed by its `code` (Observation.code) or `conclusion`
// (DiagnosticReport.conclusionCode) tokens. With every key present the service fetches
// nothing, so the request works with no EHR behind it. Defaults: examples/candidate-dm.json
// into examples/cds-patient-view.json; test/cds-hooks/cds-sample.test.ts holds the two equal.

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildPrefetchTemplates, fillTemplate, type PrefetchTemplate } from '../src/cds-hooks/prefetch-templates.js';
import { buildServices, TRIALS_SERVICE } from '../src/cds-hooks/services.js';
import { loadStudies } from '../src/screening/study-registry.js';
import { projectRoot } from '../src/config.js';
import { prefetchCodes } from '../src/mapping/prefetch-codes.js';

type Json = Record<string, unknown>;

export const SAMPLE_STUDY = 'belimumab-iim';
export const SAMPLE_BUNDLE = join(projectRoot(), 'examples', 'candidate-dm.json');
export const SAMPLE_OUT = join(projectRoot(), 'examples', 'cds-patient-view.json');
/** Fixed, so that the file is the same each time it is built. */
const HOOK_INSTANCE = 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea';

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface Entry {
  fullUrl: string | undefined;
  resource: Json;
}

function entriesOf(bundle: unknown): Entry[] {
  if (!isObject(bundle) || bundle['resourceType'] !== 'Bundle' || !Array.isArray(bundle['entry'])) {
    throw new Error('the input is not a FHIR Bundle with entries');
  }
  return bundle['entry'].flatMap((e: unknown) =>
    isObject(e) && isObject(e['resource']) ? [{ fullUrl: typeof e['fullUrl'] === 'string' ? e['fullUrl'] : undefined, resource: e['resource'] }] : [],
  );
}

/** token search: `system|code` or `code`, comma = OR, against a CodeableConcept or a list of them. */
function matchesToken(concepts: unknown, param: string): boolean {
  const list = Array.isArray(concepts) ? concepts : [concepts];
  const wanted = param.split(',');
  return list.some((concept) =>
    isObject(concept) && Array.isArray(concept['coding']) &&
    concept['coding'].some((c: unknown) =>
      isObject(c) &&
      wanted.some((w) => {
        const bar = w.indexOf('|');
        return bar < 0 ? c['code'] === w : c['system'] === w.slice(0, bar) && c['code'] === w.slice(bar + 1);
      }),
    ),
  );
}

/** The `patient` search parameter: `subject`, or `patient` (AllergyIntolerance, Immunization). */
function isPatients(resource: Json, patient: Entry, patientId: string): boolean {
  const ref = isObject(resource['subject']) ? resource['subject'] : resource['patient'];
  if (!isObject(ref) || typeof ref['reference'] !== 'string') return false;
  const reference = ref['reference'];
  return reference === `Patient/${patientId}` || reference === patient.fullUrl || reference.endsWith(`/Patient/${patientId}`);
}

/**
 * The resource as a FHIR server returns it: a reference to the Patient by its Bundle fullUrl
 * (a transaction's `urn:uuid:…`) reads `Patient/<id>`, as the server rewrote it on storing.
 */
function asStored(value: unknown, patient: Entry, patientId: string): unknown {
  if (Array.isArray(value)) return value.map((v) => asStored(v, patient, patientId));
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === 'reference' && patient.fullUrl !== undefined && v === patient.fullUrl ? `Patient/${patientId}` : asStored(v, patient, patientId);
  }
  return out;
}

/** One template answered from the Bundle: the Patient, or a searchset. */
function answer(template: PrefetchTemplate, entries: Entry[], patient: Entry, patientId: string): Json {
  const query = fillTemplate(template.template, patientId);
  if (!query.includes('?')) return patient.resource;
  const [type, search = ''] = query.split('?') as [string, string?];
  const params = new URLSearchParams(search);
  const code = params.get('code');
  const conclusion = params.get('conclusion');
  const matches = entries.filter(({ resource }) => {
    if (resource['resourceType'] !== type || !isPatients(resource, patient, patientId)) return false;
    if (code !== null && !matchesToken(resource['code'], code)) return false;
    if (conclusion !== null && !matchesToken(resource['conclusionCode'], conclusion)) return false;
    return true;
  });
  const bundle: Json = { resourceType: 'Bundle', type: 'searchset', total: matches.length };
  if (matches.length > 0) {
    bundle['entry'] = matches.map((m) => ({ ...(m.fullUrl ? { fullUrl: m.fullUrl } : {}), resource: asStored(m.resource, patient, patientId), search: { mode: 'match' } }));
  }
  return bundle;
}

/** Where the service finds its study folders: MAPPINGS_DIR, as the service reads it, else fhir-mappings/. */
export function defaultMappingsDir(env: NodeJS.ProcessEnv = process.env): string {
  return env['MAPPINGS_DIR'] || join(projectRoot(), 'fhir-mappings');
}

/** The templates the service's discovery document lists for the study. */
export function studyTemplates(studyId = SAMPLE_STUDY, mappingsDir = defaultMappingsDir()): PrefetchTemplate[] {
  // The id names a folder: one that is not a study folder is a usage mistake, not a path to follow.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(studyId) || !existsSync(join(mappingsDir, studyId, 'study.yaml'))) {
    const known = readdirSync(mappingsDir).filter((name) => existsSync(join(mappingsDir, name, 'study.yaml')));
    throw new Error(`unknown study '${studyId}': the studies under ${mappingsDir} are ${known.join(', ') || 'none'}`);
  }
  return buildPrefetchTemplates(prefetchCodes(join(mappingsDir, studyId)));
}

/** The templates trials-prescreen lists: built as the service builds them, from every study the service loads. */
export async function allStudiesTemplates(mappingsDir = defaultMappingsDir()): Promise<PrefetchTemplate[]> {
  const trials = buildServices(await loadStudies(mappingsDir), mappingsDir).get(TRIALS_SERVICE)!;
  return trials.templates.map(({ key, template }) => ({ key, template }));
}

/** A patient-view request for the Bundle's Patient with every prefetch key filled. */
export function buildCdsSample(bundle: unknown, templates: PrefetchTemplate[]): Json {
  const entries = entriesOf(bundle);
  const patients = entries.filter((e) => e.resource['resourceType'] === 'Patient');
  const patient = patients[0];
  if (patients.length !== 1 || !patient || typeof patient.resource['id'] !== 'string') {
    throw new Error('the Bundle must hold exactly one Patient, with an id');
  }
  const patientId = patient.resource['id'];
  return {
    hook: 'patient-view',
    hookInstance: HOOK_INSTANCE,
    context: { userId: 'Practitioner/example', patientId },
    prefetch: Object.fromEntries(templates.map((t) => [t.key, answer(t, entries, patient, patientId)])),
  };
}

/** `studyId` null: trials-prescreen's templates (--all-studies). */
export async function cdsSampleText(bundlePath = SAMPLE_BUNDLE, studyId: string | null = SAMPLE_STUDY, mappingsDir = defaultMappingsDir()): Promise<string> {
  const bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as unknown;
  const templates = studyId === null ? await allStudiesTemplates(mappingsDir) : studyTemplates(studyId, mappingsDir);
  return `${JSON.stringify(buildCdsSample(bundle, templates), null, 2)}\n`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const { values, positionals } = parseArgs({
      args: process.argv.slice(2),
      options: { study: { type: 'string' }, 'all-studies': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 2) throw new Error('at most two files: <bundle.json> [<out.json>]');
    if (values.study !== undefined && values['all-studies']) throw new Error('--study and --all-studies exclude each other');
    const [input = SAMPLE_BUNDLE, output = SAMPLE_OUT] = positionals;
    writeFileSync(output, await cdsSampleText(input, values['all-studies'] ? null : values.study ?? SAMPLE_STUDY));
    process.stdout.write(`wrote ${output}\n`);
  } catch (error) {
    process.stderr.write(`cds-sample: ${(error as Error).message}\nusage: npm run cds-sample -- [--study ID | --all-studies] [<bundle.json> [<out.json>]]\n`);
    process.exitCode = 1;
  }
}
