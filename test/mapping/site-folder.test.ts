// The site folder fhir-mappings/_site/ holds what every study shares; each study folder adds its
// own entries. A study that redefines a site id stops start-up naming both files; a problem in a
// site entry names the site's file; criteriaVersion changes with a site file; `_site` is not a
// study.

import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildPatientRecord } from '../../src/ingest/build-patient-record.js';
import { readStudyIdentity } from '../../src/screening/study-identity.js';
import { loadStudies } from '../../src/screening/study-registry.js';
import { loadFailure } from '../helpers/load-failure.js';

const MAPPINGS = join(import.meta.dirname, '../../fhir-mappings');
const STUDY = 'belimumab-iim';
const temps: string[] = [];

afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function copy(): string {
  const root = mkdtempSync(join(tmpdir(), 'site-'));
  cpSync(MAPPINGS, root, { recursive: true });
  temps.push(root);
  return root;
}

const failure = loadFailure;

function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  expect(at, needle).toBeGreaterThanOrEqual(0);
  return text.slice(0, at).split('\n').length;
}

describe('the site folder', () => {
  it('is not loaded as a study, and its shared entries reach the study', async () => {
    const studies = await loadStudies(MAPPINGS);
    expect([...studies.keys()]).not.toContain('_site');
    const bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: [
        { resource: { resourceType: 'Patient', id: 'p1', gender: 'female', birthDate: '1980-01-01' } },
        { resource: { resourceType: 'Condition', id: 'c1', subject: { reference: 'Patient/p1' }, code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'Z33.1' }] } } },
      ],
    };
    const model = studies.get(STUDY)!.mapping.buildModel(buildPatientRecord(bundle), '2026-10-26');
    // `pregnancy` is a value set of _site/value-sets.yaml.
    expect(model.diagnoses.map((c) => [c.ref, c.concepts])).toEqual([['Condition/c1', ['pregnancy']]]);
  });

  it('refuses a study that redefines a site value set, naming both files and lines', async () => {
    const root = copy();
    const own = join(root, STUDY, 'value-sets.yaml');
    appendFileSync(own, "\npregnancy:\n  title: Pregnant now (the study's own)\n  include:\n    - {system: icd10cm, code: Z33.1, src: site}\n");
    const e = await failure(root);
    const ownText = readFileSync(own, 'utf8');
    const siteText = readFileSync(join(root, '_site/value-sets.yaml'), 'utf8');
    expect(e.file).toBe(`${STUDY}/value-sets.yaml`);
    expect(e.line).toBe(lineOf(ownText, "\npregnancy:\n  title: Pregnant now (the study's own)") + 1);
    expect(e.problem).toBe(
      `'pregnancy' is defined in both _site/value-sets.yaml line ${lineOf(siteText, '\npregnancy:') + 1} and value-sets.yaml line ${e.line}; a study may add to the site folder but not redefine what it defines`,
    );
  });

  it('refuses a study that redefines a site section or a nested entry', async () => {
    const root = copy();
    writeFileSync(join(root, STUDY, 'timing.yaml'), readFileSync(join(root, '_site/timing.yaml')));
    expect((await failure(root)).problem).toMatch(/^'periodUnitDays' is defined in both _site\/timing\.yaml line \d+ and timing\.yaml line \d+/);

    const root2 = copy();
    appendFileSync(join(root2, '_site/medications.yaml'), '\n');
    writeFileSync(join(root2, '_site/medications.yaml'), readFileSync(join(root2, '_site/medications.yaml'), 'utf8').replace('agents: {}', 'agents:\n  rituximab: {names: [rituximab], groups: [anti-cd20], codes: [{system: atc, code: L01FA01, src: site}]}'));
    const e = await failure(root2);
    expect(e.file).toBe(`${STUDY}/medications.yaml`);
    expect(e.path).toBe('/agents/rituximab');
  });

  it('names the site file for a problem in a site entry', async () => {
    const root = copy();
    const path = join(root, '_site/labs.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace("unit: '[IU]/L'", 'unit: international units'));
    const e = await failure(root);
    expect([e.file, e.path, e.problem]).toEqual(['_site/labs.yaml', '/hcg-quantitative/unit', "'international units' is not a UCUM unit"]);
    expect(e.line).toBe(lineOf(readFileSync(path, 'utf8'), 'unit: international units'));
  });

  it('names both folders when neither gives a required section', async () => {
    const root = copy();
    const path = join(root, '_site/medications.yaml');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\nadverseReaction:[\s\S]*$/, '\n'));
    const e = await failure(root);
    expect(e.file).toBe(`${STUDY}/medications.yaml`);
    expect(e.problem).toMatch(/adverseReaction \(in neither _site\/medications\.yaml nor medications\.yaml\)$/);
  });

  it('is part of criteriaVersion, for the loader and the light identity reader alike', async () => {
    const root = copy();
    const before = (await loadStudies(root)).get(STUDY)!.criteriaVersion;
    expect((await readStudyIdentity(root, STUDY))!.criteriaVersion).toBe(before);
    appendFileSync(join(root, '_site/value-sets.yaml'), '\n# reviewed by the site\n');
    const after = (await loadStudies(root)).get(STUDY)!.criteriaVersion;
    expect(after).not.toBe(before);
    expect((await readStudyIdentity(root, STUDY))!.criteriaVersion).toBe(after);
  });
});
