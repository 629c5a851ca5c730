// The criterion case tables (style.md rule 16): each test/cases/<study>/<criterion-id>.yaml row
// is real FHIR resources, run through the real ingest and the study's mapping into the criterion
// as the study registry loads it (TypeScript or kit rule), so a table row states the behaviour
// end to end. Inputs are cloned per case. Tables directly under test/cases/ are belimumab-iim's.
//
// File shape: {asOf?, patient?, cases: [{desc, resources, asOf?, expect}]}. The runner adds the
// file's `patient` (default: a bare Patient/p1) when a row gives no Patient, gives each resource
// without an id the id `<type>-<n>`, and points subject/patient references at the Patient.
// expect: {result, manual?, evidence? (exact list), missingData? (per entry: a substring of the
// text, or {text?: substring, query?: exact}), clearsOn? (exact, `null` = absent), reason?
// (substring, or /regex/)}.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { CriterionOutcome } from '../../src/criteria/types.js';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { loadStudies } from '../../src/screening/study-registry.js';

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
const STUDIES = loadStudies('fhir-mappings');
/** Studies whose every criterion must have a table (belimumab-iim's are checked as a set). */
const EVERY_CRITERION = new Set(['glp1-ckd']);
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

/** Each study's tables: test/cases/<study>/, and belimumab-iim's also directly under test/cases/. */
function tablesOf(study: string): { dir: string; name: string }[] {
  const listed = (dir: string) => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((name) => ({ dir, name }));
    } catch {
      return [];
    }
  };
  return [...(study === 'belimumab-iim' ? listed(CASES_DIR) : []), ...listed(join(CASES_DIR, study))];
}

describe('criterion case tables', () => {
  it('every case folder is a study', () => {
    for (const entry of readdirSync(CASES_DIR, { withFileTypes: true })) {
      if (entry.isDirectory() && entry.name !== 'mapping') expect(STUDIES.has(entry.name), entry.name).toBe(true);
    }
  });

  for (const [studyId, study] of STUDIES) {
    const tables = tablesOf(studyId);
    describe(studyId, () => {
      it('every table names a criterion of the study', () => {
        const ids = new Set(study.criteria.map((c) => c.id));
        for (const t of tables) expect(ids.has(t.name.replace(/\.yaml$/, '')), `${t.dir}/${t.name}`).toBe(true);
        expect(tables.length).toBeGreaterThanOrEqual(EVERY_CRITERION.has(studyId) ? study.criteria.length : 20);
      });

      for (const { dir, name } of tables) {
        const id = name.replace(/\.yaml$/, '');
        const criterion = study.criteria.find((c) => c.id === id);
        // Our own tables: no cap on YAML aliases (the parser's default of 100 guards untrusted input).
        const file = parse(readFileSync(join(dir, name), 'utf8'), { maxAliasCount: -1 }) as CaseFile;
        describe(id, () => {
          for (const row of file.cases) {
            it(row.desc, () => {
              if (!criterion) throw new Error(`no criterion ${id}`);
              const asOf = row.asOf ?? file.asOf;
              if (!asOf) throw new Error('the row or its file must give asOf');
              const record = buildPatientRecord(bundleFor(row, file));
              const out = criterion.evaluate(study.mapping.buildModel(record, asOf));
              check(id, row, out);
            });
          }
        });
      }
    });
  }
});

function check(id: string, row: CaseRow, out: CriterionOutcome): void {
  const context = `${id}: ${row.desc}\n${JSON.stringify(out, null, 1)}`;
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
}
