// Shared pieces of the fuzz suite (issue 7 §3): the run count, the seed bundles, the nasty
// values and mutations, and the checks every answer must pass.
//
// FUZZ_RUNS sets the number of generated bodies per property (default 300: the whole suite
// stays well under a minute in CI). A long run by hand:
//   FUZZ_RUNS=10000 npx vitest run test/fuzz --project utc
// FUZZ_SEED replays a failing run (fast-check prints the seed and path on failure).

import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { expect } from 'vitest';
import { typicalMyositisPatient } from '../../src/cohort/typical-myositis-patient.js';
import { projectRoot } from '../../src/config.js';
import { PROTOTYPE_NAMES } from './prototype-names.js';

export type Json = Record<string, any>;

export const FUZZ_RUNS = Math.max(1, Number(process.env['FUZZ_RUNS'] ?? 300) || 300);
const seed = process.env['FUZZ_SEED'];
export const FC_PARAMS: fc.Parameters<unknown> = { numRuns: FUZZ_RUNS, ...(seed ? { seed: Number(seed) } : {}), endOnFailure: true };

function example(name: string): Json {
  return JSON.parse(readFileSync(join(projectRoot(), 'examples', name), 'utf8')) as Json;
}

/** Valid inputs to mutate: the shipped examples and the cohort's typical myositis patient. */
export const SEEDS: Json[] = [
  example('potential-candidate-pm.json'),
  example('candidate-dm.json'),
  example('ineligible-rituximab.json'),
  // As a request body would hold it: the generator shares objects between resources (one
  // subject reference for hundreds of them), and a mutation inside a shared one would reach them
  // all; hundreds of copies of the 1 MB string in a CDS prefetch can pass V8's string limit.
  JSON.parse(JSON.stringify(typicalMyositisPatient(1))) as Json,
];
/** The small seeds: most runs use these, so the suite stays fast. */
export const SMALL_SEEDS = SEEDS.slice(0, 3);

const HUGE_STRING = 'x'.repeat(1_000_000);
// Deep nesting is spliced in as text (stringify and structuredClone would recurse on it).
const DEEP = '__fuzz_deep__';
const DEEP_TEXT = `${'['.repeat(5000)}"bottom"${']'.repeat(5000)}`;

/** A generated value as JSON text, with any deep-nesting marker expanded. */
export function toText(value: unknown): string {
  return (JSON.stringify(value) ?? 'null').split(`"${DEEP}"`).join(DEEP_TEXT);
}

/**
 * Values that break naive readers: wrong types, extremes, invalid dates, units UCUM rejects,
 * names of Object.prototype members.
 */
export const nasty: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 4 },
  {
    arbitrary: fc.constantFrom<unknown>(
      null, true, false, 0, -0, -1, 1.5, 1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2, 12345678901234567890,
      '', ' ', '\u0000', '\ud800', 'null', 'NaN', 'Infinity', '1e309', [], {}, [null], [[]], [{}], { value: null },
      '2026-02-30', '2026-13-01', '2026-00-10', '2025-02-29', '0000-01-01', '9999-12-31', '2026-1-1', '2026-02-28T25:61:00Z',
      '2026-02-28T10:00:00+25:00', '2026-02-28T10:00:00', '20260228', '-2026-01-01', '2026-02',
      { value: 5, unit: 'furlong/fortnight', system: 'http://unitsofmeasure.org', code: '[furlong]/fortnight' },
      { value: 5, unit: 'mg/dL{', system: 'http://unitsofmeasure.org', code: 'mg/dL{' },
      { value: 'five', unit: 'mg', system: 'http://unitsofmeasure.org', code: 'mg' },
      { value: 1e308, unit: 'g/L', system: 'http://unitsofmeasure.org', code: 'g/L' },
      { value: -3, system: 'http://unitsofmeasure.org', code: '10*999/L' },
      { start: '2026-02-30', end: '2019-01-01' },
      { coding: [{ system: 42, code: { nested: true } }] },
      { reference: 'Patient/' },
      { reference: '#' },
      { reference: 'urn:uuid:not-there' },
      { reference: 'http://elsewhere.example.org/Patient/x' },
    ),
    weight: 4,
  },
  { arbitrary: fc.constantFrom(...PROTOTYPE_NAMES), weight: 2 },
  { arbitrary: fc.constant(HUGE_STRING), weight: 1 },
  { arbitrary: fc.constant(DEEP), weight: 1 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
);

type Path = (string | number)[];

/** Every path into a value (objects and arrays, and their members). */
export function pathsOf(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) value.forEach((v, i) => { out.push([...prefix, i]); pathsOf(v, [...prefix, i], out); });
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) { out.push([...prefix, k]); pathsOf(v, [...prefix, k], out); }
  }
  return out;
}

/** The paths of every string-valued element: where a unit, code, system, id or text sits. */
export function stringPathsOf(value: unknown): Path[] {
  const out: Path[] = [];
  const walk = (node: unknown, prefix: Path): void => {
    if (typeof node === 'string') out.push(prefix);
    else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...prefix, i]));
    else if (node !== null && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, [...prefix, k]);
  };
  walk(value, []);
  return out;
}

export function setAt(root: Json, path: Path, value: unknown, remove = false): void {
  let node: any = root;
  for (const step of path.slice(0, -1)) {
    if (node === null || typeof node !== 'object') return;
    node = node[step];
  }
  if (node === null || typeof node !== 'object') return;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete node[last];
  } else node[last] = value;
}

export interface Mutation {
  at: number;
  /** `name`: a string-valued element (any of them) becomes an Object.prototype name. */
  kind: 'set' | 'delete' | 'duplicate-entry' | 'name';
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    at: fc.nat(),
    kind: fc.constantFrom<Mutation['kind']>('set', 'set', 'set', 'delete', 'duplicate-entry'),
    value: nasty,
  }),
  fc.record({ at: fc.nat(), kind: fc.constant<Mutation['kind']>('name'), value: fc.constantFrom(...PROTOTYPE_NAMES) }),
);

export function applyMutations(seedBundle: Json, mutations: Mutation[]): Json {
  const bundle = structuredClone(seedBundle);
  for (const m of mutations) {
    if (m.kind === 'duplicate-entry' && Array.isArray(bundle['entry']) && bundle['entry'].length > 0) {
      const entry = bundle['entry'][m.at % bundle['entry'].length];
      bundle['entry'].push(structuredClone(entry));
      continue;
    }
    const paths = m.kind === 'name' ? stringPathsOf(bundle) : pathsOf(bundle);
    if (paths.length === 0) continue;
    // A copy: nasty's constants are shared objects, and a later mutation landing inside one
    // would change it for every run after.
    setAt(bundle, paths[m.at % paths.length]!, structuredClone(m.value), m.kind === 'delete');
  }
  return bundle;
}

/** 1-4 mutations to apply to a seed. */
export const mutations: fc.Arbitrary<Mutation[]> = fc.array(mutation, { minLength: 1, maxLength: 4 });

/** A valid seed with 1-4 mutations; the big seed now and then. */
export const mutatedBundle: fc.Arbitrary<Json> = fc
  .tuple(fc.oneof({ arbitrary: fc.constantFrom(...SMALL_SEEDS), weight: 12 }, { arbitrary: fc.constant(SEEDS[3]!), weight: 1 }), mutations)
  .map(([seedBundle, mutations]) => applyMutations(seedBundle, mutations));

/** A $screen body, as JSON text. */
export const screenBody: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutatedBundle.map(toText), weight: 10 },
  { arbitrary: mutatedBundle.map((b) => toText({ resourceType: 'Parameters', parameter: [{ name: 'bundle', resource: b }] })), weight: 2 },
  {
    arbitrary: fc.tuple(mutatedBundle, nasty, fc.array(fc.record({ name: fc.constantFrom('bundle', 'asOf', 'x', ...PROTOTYPE_NAMES), valueDate: nasty }), { maxLength: 2 })).map(([b, asOf, extra]) =>
      toText({ resourceType: 'Parameters', parameter: [{ name: 'bundle', resource: b }, { name: 'asOf', valueDate: asOf }, ...extra] }),
    ),
    weight: 2,
  },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify(v)), weight: 3 },
  { arbitrary: fc.jsonValue().map((v) => JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: v })), weight: 2 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  { arbitrary: fc.constantFrom('[', '{"resourceType":"Bundle"', '{"__proto__":{"x":1}}', `${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'null', '"Bundle"'), weight: 1 },
);

const RS_STATUS = new Set(['ineligible', 'potential-candidate', 'candidate']);
const ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** A ResearchSubject as the contract promises it. */
export function expectResearchSubject(body: Json): void {
  expect(body['resourceType']).toBe('ResearchSubject');
  expect(body['id']).toMatch(ID);
  expect(RS_STATUS.has(body['status'])).toBe(true);
  expect(body['study']?.reference).toMatch(/^ResearchStudy\//);
  expect(typeof body['individual']?.reference).toBe('string');
  expect(Array.isArray(body['extension'])).toBe(true);
}

/** An OperationOutcome as standards §1 wants it: severity error, a code, our coding. */
export function expectOperationOutcome(body: Json): void {
  expect(body['resourceType']).toBe('OperationOutcome');
  expect(Array.isArray(body['issue']) && body['issue'].length > 0).toBe(true);
  const issue = body['issue'][0];
  expect(issue.severity).toBe('error');
  expect(typeof issue.code).toBe('string');
  expect(issue.details.coding[0].code).toMatch(/^PRESCREEN_[A-Z_]+$/);
}

export function parseJson(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new Error(`answer is not JSON: ${text.slice(0, 80)}`);
  }
}

/**
 * The instant from which one request's writes are searched: a millisecond ahead of now, and
 * reached before the request is sent. Rows of earlier requests (stamped by the database's
 * clock, to the millisecond) all lie before it, and the request's own row at or after it.
 * `now − 1 ms` would count the previous request's row whenever that one was written less than
 * a millisecond before, which fast screening makes happen.
 */
export async function writesFrom(): Promise<string> {
  const start = Date.now() + 1;
  while (Date.now() <= start) await new Promise((resolve) => setTimeout(resolve, 1));
  return new Date(start).toISOString();
}

/** A CDS call whose prefetch answers every template from one (mutated) Bundle. */
export function cdsCallFrom(bundle: Json, templates: Record<string, string>, holes: unknown[]): Json {
  const resources: Json[] = (Array.isArray(bundle['entry']) ? bundle['entry'] : []).map((e: Json) => e?.resource).filter((r: unknown) => r && typeof r === 'object');
  const patient = resources.find((r) => r['resourceType'] === 'Patient');
  const prefetch: Json = {};
  let i = 0;
  for (const [key, template] of Object.entries(templates)) {
    const type = template.split(/[/?]/)[0]!;
    if (i < holes.length && holes[i] !== undefined) prefetch[key] = holes[i];
    else if (type === 'Patient') prefetch[key] = patient ?? null;
    else {
      const entry = resources.filter((r) => r['resourceType'] === type).map((resource) => ({ resource, search: { mode: 'match' } }));
      prefetch[key] = { resourceType: 'Bundle', type: 'searchset', total: entry.length, ...(entry.length > 0 ? { entry } : {}) };
    }
    i++;
  }
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    context: { userId: 'Practitioner/fuzz', patientId: typeof patient?.['id'] === 'string' ? patient['id'] : 'unknown' },
    prefetch,
  };
}
