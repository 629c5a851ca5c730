// The criterion case tables (style.md rule 16): each test/cases/<study>/<criterion-id>.yaml row
// is real FHIR resources, run through the real ingest and the study's mapping into its criterion
// (a TypeScript criterion or a kit rule, as study.yaml says), so a table row states the behaviour
// end to end. Every folder of test/cases/ but mapping/ (the extraction tables of
// test/mapping/cases.test.ts) is a study, loaded from fhir-mappings/<folder> by its name.
// Inputs are cloned per case.
//
// File shape: {asOf?, patient?, cases: [{desc, resources, asOf?, expect}]}. The runner adds the
// file's `patient` (default: a bare Patient/p1) when a row gives no Patient, gives each resource
// without an id the id `<type>-<n>`, and points subject/patient references at the Patient.
// expect: {result, manual?, evidence? (exact list), missingData? (per entry: a substring of the
// text, or {text?: substring, query?: exact}), clearsOn? (exact, `null` = absent), reason?
// (substring, or /regex/)}.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CriterionOutcome } from '../../src/criteria/types.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { loadStudy, type ScreeningStudy } from '../../src/screening/study-registry.js';

type Resource = { resourceType: string; id?: string; [k: string]: unknown };

interface CaseRow {
  desc: string;
  resources?: Array<Resource | Resource[]>;
  asOf?: string;
  expect: {
    result: CriterionOutcome['result'];
    manual?: boolean;
    evidence?: string[];
    missingData?: Array<string | { text?: string; query?: string }>;
    clearsOn?: string | null;
    reason?: string;
  };
}

interface CaseFile {
  asOf?: string;
  patient?: Resource;
  cases: CaseRow[];
}

const CASES_DIR = 'test/cases';
const MAPPINGS_DIR = 'fhir-mappings';
/** Not a study: the mapping's extraction tables. */
const NOT_STUDIES = new Set(['mapping']);
/** Studies whose every criterion has a table (the second study is data only: its tables are its tests). */
const EVERY_CRITERION = new Set(['glp1-ckd']);
/** Resource types that name their patient in `patient`, not `subject`. */
const PATIENT_TYPES = new Set(['AllergyIntolerance', 'FamilyMemberHistory']);
const SUBJECT_TYPES = new Set([
  'Condition', 'Observation', 'Procedure', 'Encounter', 'DiagnosticReport',
  'MedicationStatement', 'MedicationRequest', 'MedicationAdministration', 'MedicationDispense',
]);

function bundleFor(row: CaseRow, file: CaseFile): unknown {
  // A YAML alias to a list of resources nests it: flatten one level.
  const resources = structuredClone((row.resources ?? []).flat() as Resource[]);
  let patient = resources.find((r) => r.resourceType === 'Patient');
  if (!patient) {
    patient = structuredClone(file.patient ?? { resourceType: 'Patient', id: 'p1' });
    resources.unshift(patient);
  }
  const patientRef = { reference: `Patient/${patient.id}` };
  const counts = new Map<string, number>();
  for (const r of resources) {
    const n = (counts.get(r.resourceType) ?? 0) + 1;
    counts.set(r.resourceType, n);
    if (r.id === undefined) r.id = `${r.resourceType.toLowerCase()}-${n}`;
    if (SUBJECT_TYPES.has(r.resourceType) && r.subject === undefined) r.subject = { ...patientRef };
    if (PATIENT_TYPES.has(r.resourceType) && r.patient === undefined) r.patient = { ...patientRef };
  }
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

function checkReason(reason: string, expected: string): void {
  const re = /^\/(.*)\/([a-z]*)$/s.exec(expected);
  if (re) expect(reason).toMatch(new RegExp(re[1]!, re[2]));
  else expect(reason).toContain(expected);
}

const studies = readdirSync(CASES_DIR)
  .filter((name) => !NOT_STUDIES.has(name) && statSync(join(CASES_DIR, name)).isDirectory())
  .sort();

/** Each study folder the tables name, loaded; a name with no folder is reported by its describe. */
const loaded = new Map<string, ScreeningStudy>();
for (const id of studies) if (existsSync(join(MAPPINGS_DIR, id, 'study.yaml'))) loaded.set(id, await loadStudy(join(MAPPINGS_DIR, id)));

function tablesOf(study: string): string[] {
  return readdirSync(join(CASES_DIR, study)).filter((f) => f.endsWith('.yaml')).sort();
}

describe('criterion case tables', () => {
  it("finds the first study's tables in test/cases/belimumab-iim/ and the second's in test/cases/glp1-ckd/", () => {
    expect(studies).toContain('belimumab-iim');
    expect(tablesOf('belimumab-iim').length).toBeGreaterThanOrEqual(30);
    expect(tablesOf('glp1-ckd')).toHaveLength(20);
  });

  for (const studyId of studies) {
    describe(studyId, () => {
      const dir = join(MAPPINGS_DIR, studyId);
      // A folder named after no study is a mistake, not a study to skip.
      it('names a study folder of fhir-mappings/', () => expect(existsSync(join(dir, 'study.yaml')), dir).toBe(true));
      if (!existsSync(join(dir, 'study.yaml'))) return;
      const study = loaded.get(studyId)!;
      const criteria = new Map(study.criteria.map((c) => [c.id, c]));
      const files = tablesOf(studyId);

      it('has tables, and every table names a criterion of the study', () => {
        expect(files.length).toBeGreaterThan(0);
        for (const f of files) expect(criteria.has(f.replace(/\.yaml$/, '')), `${studyId}/${f}`).toBe(true);
        if (EVERY_CRITERION.has(studyId)) expect(files.map((f) => f.replace(/\.yaml$/, '')).sort()).toEqual([...criteria.keys()].sort());
      });

      for (const name of files) describeTable(study, criteria, join(CASES_DIR, studyId, name));
    });
  }
});

function describeTable(study: ScreeningStudy, criteria: Map<string, ScreeningStudy['criteria'][number]>, path: string): void {
  const id = path.replace(/^.*\//, '').replace(/\.yaml$/, '');
  const criterion = criteria.get(id);
  // Our own tables: no cap on YAML aliases (the parser's default of 100 guards untrusted input).
  const file = parse(readFileSync(path, 'utf8'), { maxAliasCount: -1 }) as CaseFile;
  describe(id, () => {
    for (const row of file.cases) {
      it(row.desc, () => {
        if (!criterion) throw new Error(`no criterion ${id} in study ${study.mapping.id}`);
        const asOf = row.asOf ?? file.asOf;
        if (!asOf) throw new Error('the row or its file must give asOf');
        const record = buildPatientRecord(bundleFor(row, file));
        const out = criterion.evaluate(study.mapping.buildModel(record, asOf));
        const context = `${study.mapping.id}/${id}: ${row.desc}\n${JSON.stringify(out, null, 1)}`;
        const want = row.expect;
        expect(out.result, context).toBe(want.result);
        expect(out.manual, context).toBe(want.manual ?? false);
        if (out.result !== 'unknown') expect(out.manual, context).toBe(false);
        if (out.result === 'unknown' && !out.manual) expect(out.missingData.length, context).toBeGreaterThan(0);
        if (want.evidence) expect(out.evidence, context).toEqual(want.evidence);
        if (want.clearsOn !== undefined) expect(out.clearsOn ?? null, context).toBe(want.clearsOn);
        if (want.reason) checkReason(out.reason, want.reason);
        if (want.missingData) {
          expect(out.missingData.length, context).toBe(want.missingData.length);
          want.missingData.forEach((m, i) => {
            const got = out.missingData[i]!;
            if (typeof m === 'string') expect(got.text, context).toContain(m);
            else {
              if (m.text) expect(got.text, context).toContain(m.text);
              if (m.query) expect(got.query, context).toBe(m.query);
            }
          });
        }
      });
    }
  });
}
